import { useEffect, useId, useReducer, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PLATFORMS } from '../api';
import {
  getRoutingRules,
  IMPERSONATED_KINDS,
  saveRoutingRules,
  type Entity,
  type RoutingRule,
} from '../api-admin';
import type { Me } from '../api-auth';
import { SCAM_TYPES } from '../api-workflow';
import { errorText } from '../errors';
import { isOneOf } from '../reader';
import { ErrorAlert } from './error-alert';

/** A rule as edited: `key` names its row while its fields (even its priority) change. */
type RuleDraft = RoutingRule & { key: number };

type RulesAction =
  | { type: 'loaded'; rules: ReadonlyArray<RoutingRule & { id: number }> }
  | { type: 'changed'; key: number; patch: Partial<RoutingRule> }
  | { type: 'added' }
  | { type: 'removed'; key: number };

/**
 * The rules being edited (null until loaded). Loaded and saved rules are keyed by their ID; an
 * added rule gets a key above every other, routes to the impersonated party, matches anything
 * and comes last (priority 10 above the highest).
 */
function rulesReducer(rules: RuleDraft[] | null, action: RulesAction): RuleDraft[] | null {
  switch (action.type) {
    case 'loaded':
      return action.rules.map((rule) => ({ ...rule, key: rule.id }));
    case 'changed':
      return (rules ?? []).map((r) => (r.key === action.key ? { ...r, ...action.patch } : r));
    case 'removed':
      return (rules ?? []).filter((r) => r.key !== action.key);
    case 'added': {
      const list = rules ?? [];
      return [
        ...list,
        {
          key: Math.max(0, ...list.map((r) => r.key)) + 1,
          priority: Math.max(0, ...list.map((r) => r.priority)) + 10,
          scamType: null,
          impersonatedKind: null,
          platform: null,
          target: 'impersonated',
          enabled: true,
          note: null,
        },
      ];
    }
  }
}

/** The routing rules: loaded once, edited in place, saved all together (the server replaces the set). */
function useRoutingRules() {
  const { t } = useTranslation();
  const [rules, dispatch] = useReducer(rulesReducer, null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    getRoutingRules(controller.signal).then(
      (loaded) => dispatch({ type: 'loaded', rules: loaded }),
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(t, caught));
      },
    );
    return () => controller.abort();
    // `t` is left out on purpose: a language switch must not refetch.
  }, []);

  async function save() {
    if (rules === null) return;
    setStatus('');
    try {
      // Only the rules' own fields: not the row keys, nor the IDs of loaded rules.
      const saved = await saveRoutingRules(
        rules.map((rule) => ({
          priority: rule.priority,
          scamType: rule.scamType,
          impersonatedKind: rule.impersonatedKind,
          platform: rule.platform,
          target: rule.target,
          enabled: rule.enabled,
          note: rule.note,
        })),
      );
      dispatch({ type: 'loaded', rules: saved });
      setError(null);
      setStatus(t('routing.saved', { count: saved.length }));
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }

  return { rules, dispatch, error, status, save };
}

/**
 * The routing rules that decide who confirms a case, as a table of editable rows. Admins edit,
 * add, remove and save them; everyone else sees them read-only. A rule routes to the impersonated
 * party or to one of `entities`.
 */
export function RoutingRules({ me, entities }: { me: Me; entities: Entity[] }) {
  const { t } = useTranslation();
  const id = useId();
  const { rules, dispatch, error, status, save } = useRoutingRules();
  const editable = me.role === 'admin';
  const targets = ['impersonated', ...entities.map((e) => e.id)];

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save();
  }

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('routing.heading')}</h2>
      <p className="field__hint">{t('routing.intro')}</p>
      {!editable && <p className="alert alert--info">{t('routing.readOnly')}</p>}
      {rules === null && error === null && <p role="status">{t('common.loading')}</p>}
      {rules !== null && (
        <form onSubmit={onSave} noValidate>
          <div className="table-wrap" role="region" aria-labelledby={`${id}-h`} tabIndex={0}>
            <table className="table table--form" data-testid="routing-rules">
              <thead>
                <tr>
                  <th scope="col">{t('routing.priority')}</th>
                  <th scope="col">{t('triage.scamType')}</th>
                  <th scope="col">{t('routing.impersonated')}</th>
                  <th scope="col">{t('case.platform')}</th>
                  <th scope="col">{t('routing.target')}</th>
                  <th scope="col">{t('routing.enabled')}</th>
                  <th scope="col">{t('routing.note')}</th>
                  {editable && <th scope="col">{t('routing.remove')}</th>}
                </tr>
              </thead>
              <tbody>
                {rules.map((rule, index) => (
                  <RuleRow
                    key={rule.key}
                    rule={rule}
                    n={index + 1}
                    editable={editable}
                    targets={targets}
                    onChange={(patch) => dispatch({ type: 'changed', key: rule.key, patch })}
                    onRemove={() => dispatch({ type: 'removed', key: rule.key })}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {editable && (
            <div className="notice-actions">
              <button
                type="button"
                className="button button--secondary"
                onClick={() => dispatch({ type: 'added' })}
              >
                {t('routing.add')}
              </button>
              <button type="submit" className="button">
                {t('routing.save')}
              </button>
            </div>
          )}
        </form>
      )}
      <ErrorAlert message={error} />
      <p role="status" className="panel__status">
        {status}
      </p>
    </section>
  );
}

/**
 * One rule as a table row. Its cells have no visible labels (the column headers are), so each
 * control is named "Rule n: column" (`routing.cellLabel`).
 */
function RuleRow({
  rule,
  n,
  editable,
  targets,
  onChange,
  onRemove,
}: {
  rule: RuleDraft;
  n: number;
  editable: boolean;
  targets: string[];
  onChange: (patch: Partial<RoutingRule>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const label = (what: string) => t('routing.cellLabel', { n, what });
  return (
    <tr>
      <td>
        <input
          type="number"
          aria-label={label(t('routing.priority'))}
          disabled={!editable}
          value={rule.priority}
          onChange={(event) => onChange({ priority: Number(event.target.value) })}
        />
      </td>
      <td>
        <AnyOfSelect
          label={label(t('triage.scamType'))}
          disabled={!editable}
          values={SCAM_TYPES}
          value={rule.scamType}
          text={(value) => t(`scamType.${value}`)}
          onChange={(scamType) => onChange({ scamType })}
        />
      </td>
      <td>
        <AnyOfSelect
          label={label(t('routing.impersonated'))}
          disabled={!editable}
          values={IMPERSONATED_KINDS}
          value={rule.impersonatedKind}
          text={(value) => t(`impersonatedKind.${value}`)}
          onChange={(impersonatedKind) => onChange({ impersonatedKind })}
        />
      </td>
      <td>
        <AnyOfSelect
          label={label(t('case.platform'))}
          disabled={!editable}
          values={PLATFORMS}
          value={rule.platform}
          text={(value) => t(`platform.${value}`)}
          onChange={(platform) => onChange({ platform })}
        />
      </td>
      <td>
        <select
          aria-label={label(t('routing.target'))}
          disabled={!editable}
          value={rule.target}
          onChange={(event) => onChange({ target: event.target.value })}
        >
          {/* A target no longer in the registry stays shown, so saving does not change it. */}
          {(targets.includes(rule.target) ? targets : [rule.target, ...targets]).map((value) => (
            <option key={value} value={value}>
              {value === 'impersonated' ? t('routing.targetImpersonated') : value}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={label(t('routing.enabled'))}
          disabled={!editable}
          checked={rule.enabled}
          onChange={(event) => onChange({ enabled: event.target.checked })}
        />
      </td>
      <td>
        <input
          type="text"
          aria-label={label(t('routing.note'))}
          disabled={!editable}
          value={rule.note ?? ''}
          onChange={(event) =>
            onChange({ note: event.target.value === '' ? null : event.target.value })
          }
        />
      </td>
      {editable && (
        <td>
          <button
            type="button"
            className="button button--secondary"
            aria-label={label(t('routing.remove'))}
            onClick={onRemove}
          >
            {t('routing.remove')}
          </button>
        </td>
      )}
    </tr>
  );
}

/** A select of `values` after "any" (`routing.any`, null): a rule's condition on one property. */
function AnyOfSelect<T extends string>({
  label,
  disabled,
  values,
  value,
  text,
  onChange,
}: {
  label: string;
  disabled: boolean;
  values: readonly T[];
  value: string | null;
  text: (value: T) => string;
  onChange: (value: T | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <select
      aria-label={label}
      disabled={disabled}
      value={value ?? ''}
      onChange={(event) => {
        const next = event.target.value;
        onChange(isOneOf(values, next) ? next : null);
      }}
    >
      <option value="">{t('routing.any')}</option>
      {values.map((option) => (
        <option key={option} value={option}>
          {text(option)}
        </option>
      ))}
    </select>
  );
}
