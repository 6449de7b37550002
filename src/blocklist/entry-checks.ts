/**
 * Validation of what a blocklist entry is given: its domain (the protection guard, RPZ length),
 * legal basis, times, and an activation. Pure: the import checks each row before writing.
 */
import type { Config } from '../config/index.js';
import { blockRefusal, normalizeBlockDomain } from '../indicators/index.js';
import { isoTime } from '../shared/clock.js';
import { AppError, badRequest } from '../shared/errors.js';
import type { LegalBasis } from './blocklist.types.js';
import { maxBlockedDomainLength } from './rpz.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Validates and normalises a domain for a new entry (and again when an entry becomes active):
 * lower-case ASCII, accepted by the protection guard (blockRefusal with the configured protected
 * list: no `rpz-*` label, a TLD of the Public Suffix List, …), short enough for the RPZ origin.
 * @throws AppError 400 `domain_refused` naming the guard's rule (details.rule, details.matched),
 *   `invalid_domain` or `domain_too_long`.
 */
export function checkBlockDomain(config: Config, input: string, field = 'domain'): string {
  const domain = normalizeBlockDomain(input);
  const refusal = blockRefusal(input, config.blocklist.protectedDomains);
  if (refusal !== null) {
    throw new AppError(
      400,
      'domain_refused',
      `Refused by the protection guard: ${refusal.message}.`,
      {
        details: { field, rule: refusal.rule, matched: refusal.matched },
      },
    );
  }
  if (domain === null)
    throw badRequest('invalid_domain', `"${input}" is not a domain name.`, field);
  if (domain.length > maxBlockedDomainLength(config.blocklist.rpzOrigin)) {
    throw badRequest(
      'domain_too_long',
      `${domain} is too long to block under the RPZ origin ${config.blocklist.rpzOrigin}.`,
      field,
    );
  }
  return domain;
}

/**
 * A legal basis with its reference trimmed (1–200 characters) and its date a calendar date.
 * @throws AppError 400 `invalid_legal_basis` naming the field.
 */
export function checkLegalBasis(basis: LegalBasis): LegalBasis {
  const reference = basis.reference.trim();
  if (reference === '' || reference.length > 200) {
    throw badRequest(
      'invalid_legal_basis',
      'The reference number must be 1–200 characters.',
      'legalBasis.reference',
    );
  }
  const m = DATE.exec(basis.date);
  const valid =
    m !== null && new Date(`${basis.date}T00:00:00Z`).toISOString().slice(0, 10) === basis.date;
  if (!valid) {
    throw badRequest(
      'invalid_legal_basis',
      'The date must be a calendar date YYYY-MM-DD.',
      'legalBasis.date',
    );
  }
  return { kind: basis.kind, reference, date: basis.date };
}

/** An ISO 8601 time with a zone, normalised to UTC. @throws AppError 400 `invalid_time`. */
function checkTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw badRequest('invalid_time', `${field} must be an ISO 8601 time with a zone.`, field);
  }
  return isoTime(ms);
}

/** What a new entry may carry; only `domain` is required. */
export interface NewEntryInput {
  domain: string;
  caseIds?: readonly string[] | undefined;
  siteType?: string | undefined;
  requestingUnit?: string | undefined;
  legalBasis?: LegalBasis | undefined;
  note?: string | undefined;
  /** Where the entry comes from (default `api`). */
  source?: string | undefined;
  externalId?: string | undefined;
}

/** What activation needs: the legal basis and requesting unit (unless the entry has them). */
export interface ActivationInput {
  legalBasis?: LegalBasis | undefined;
  requestingUnit?: string | undefined;
  siteType?: string | undefined;
  /** When the block takes effect (default now; never in the future). */
  effectiveAt?: string | undefined;
  /** When it lapses (default never). */
  expiresAt?: string | undefined;
  note?: string | undefined;
}

/** An activation after validation. */
export interface CheckedActivation {
  basis: LegalBasis;
  unit: string;
  siteType: string | null;
  effectiveAt: string;
  expiresAt: string | null;
}

/**
 * Validates an activation of an entry that currently has `current` legal basis, unit and site
 * type, at `at`. Pure: the import checks each row with it before writing anything.
 */
export function checkActivation(
  current: { basis: LegalBasis | null; unit: string | null; siteType: string | null },
  input: ActivationInput,
  at: string,
): CheckedActivation {
  const basis = input.legalBasis !== undefined ? checkLegalBasis(input.legalBasis) : current.basis;
  if (basis === null) {
    throw badRequest(
      'legal_basis_required',
      'Activation needs a legal basis (kind, reference, date).',
      'legalBasis',
    );
  }
  const unit = input.requestingUnit?.trim() || current.unit;
  if (unit === null || unit === '') {
    throw badRequest(
      'requesting_unit_required',
      'Activation needs the requesting unit.',
      'requestingUnit',
    );
  }
  const effectiveAt = checkTime(input.effectiveAt, 'effectiveAt') ?? at;
  if (effectiveAt > at) {
    throw badRequest(
      'effective_in_future',
      'effectiveAt cannot be in the future: activate the entry when it takes effect.',
      'effectiveAt',
    );
  }
  const expiresAt = checkTime(input.expiresAt, 'expiresAt') ?? null;
  if (expiresAt !== null && expiresAt <= at) {
    throw badRequest('expiry_in_past', 'expiresAt must be in the future.', 'expiresAt');
  }
  return {
    basis,
    unit,
    siteType: input.siteType?.trim() || current.siteType,
    effectiveAt,
    expiresAt,
  };
}
