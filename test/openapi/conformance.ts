/**
 * Checks real HTTP responses against the OpenAPI 3.1 document the app serves: the operation a
 * request reached, whether its status is documented, whether its Content-Type is one of the media
 * types documented for that status, and whether its body is what that media type and schema say
 * (JSON: Ajv, JSON Schema 2020-12 with formats; text formats: parsed or checked cheaply; images:
 * magic bytes). Also lists the routes Fastify registered, to compare with the document.
 */
import { gunzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The parts of an OpenAPI 3.1 document these checks read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: Record<string, unknown>;
}

interface OperationObject {
  responses?: Record<string, ResponseObject>;
}

interface ResponseObject {
  description?: string;
  content?: Record<string, { schema?: Record<string, unknown> }>;
}

/** One documented operation: `GET /api/v1/cases/{id}` and how to recognise its URLs. */
export interface Operation {
  key: string;
  method: string;
  path: string;
  responses: Record<string, ResponseObject>;
  pattern: RegExp;
  /** Literal path segments: the more, the more specific (`/cases/trending` over `/cases/{id}`). */
  literals: number;
}

/** A response as `app.inject` returns it (the fields these checks read). */
export interface InjectedResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  rawPayload: Buffer;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Every operation of `doc`, most specific path first. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const segments = path.split('/').filter((s) => s !== '');
      const pattern = new RegExp(
        `^/${segments
          .map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/')}$`,
      );
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        responses: operation.responses ?? {},
        pattern,
        literals: segments.filter((s) => !s.startsWith('{')).length,
      });
    }
  }
  return operations.sort((a, b) => b.literals - a.literals);
}

/** The documented operation a request reaches, as Fastify's router would pick it. */
export function operationFor(
  operations: readonly Operation[],
  method: string,
  url: string,
): Operation | undefined {
  const path = url.split('?', 1)[0] ?? url;
  return operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path));
}

/**
 * `METHOD /path/{param}` for every route Fastify registered except the HEAD routes it adds for
 * each GET, read from `printRoutes({ commonPrefix: false })` (each line: the rest of its parent's
 * path, and its methods in parentheses).
 */
export function registeredRoutes(printed: string): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${depth === 0 ? '' : (parents[depth - 1] ?? '')}${match[2] ?? ''}`;
    parents.length = depth;
    parents.push(path);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '')) {
      if (method !== 'HEAD') routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

interface MediaType {
  essence: string;
  parameters: Map<string, string>;
}

/** A media type (RFC 9110 §8.3.1) as its lower-case type/subtype and parameters. */
export function parseMediaType(value: string): MediaType {
  const [essence = '', ...parameters] = value.split(';');
  return {
    essence: essence.trim().toLowerCase(),
    parameters: new Map(
      parameters
        .map((p) => p.split('=').map((s) => s.trim()))
        .filter((kv): kv is [string, string] => kv.length === 2)
        .map(([k, v]) => [k.toLowerCase(), v.replace(/^"(.*)"$/, '$1').toLowerCase()]),
    ),
  };
}

/** Whether a Content-Type is the documented media type: same type, the documented parameters. */
function mediaTypeMatches(documented: string, sent: string): boolean {
  const want = parseMediaType(documented);
  const got = parseMediaType(sent);
  if (want.essence !== got.essence) return false;
  return [...want.parameters].every(([k, v]) => got.parameters.get(k) === v);
}

const isJson = (essence: string) => essence === 'application/json' || essence.endsWith('+json');

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
  'image/jpeg': (b) => b.subarray(0, 3).equals(Buffer.from('ffd8ff', 'hex')),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/octet-stream': (b) => b.length > 0,
};

/** A text body that is valid UTF-8, or undefined. */
function utf8(body: Buffer): string | undefined {
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body) ? text : undefined;
}

/**
 * Cheap well-formedness of a text body of `essence`: a list of problems, or undefined when no
 * check exists for that media type (which the caller reports, so a new type gets one).
 */
function textProblems(essence: string, text: string): string[] | undefined {
  switch (essence) {
    case 'text/plain':
      return text.endsWith('\n') ? [] : ['text/plain body does not end its last line'];
    case 'text/csv': {
      try {
        const rows: unknown[] = parseCsv(text, { bom: true });
        return rows.length >= 1 ? [] : ['CSV has no header line'];
      } catch (error) {
        return [`CSV does not parse: ${String(error)}`];
      }
    }
    case 'text/html':
      return /^<!doctype html>/i.test(text) ? [] : ['HTML does not start with <!doctype html>'];
    case 'text/dns':
      // A master file (RFC 1035 §5) with the zone's SOA and NS records.
      return /\sSOA\s/.test(text) && /\sNS\s/.test(text) ? [] : ['zone has no SOA or NS record'];
    case 'application/atom+xml': {
      const valid = XMLValidator.validate(text);
      if (valid !== true) return [`Atom is not well-formed XML: ${valid.err.msg}`];
      const parsed: unknown = new XMLParser({ ignoreAttributes: false }).parse(text);
      const feed =
        typeof parsed === 'object' && parsed !== null && 'feed' in parsed ? parsed.feed : undefined;
      const ns =
        typeof feed === 'object' && feed !== null && '@_xmlns' in feed
          ? feed['@_xmlns']
          : undefined;
      return ns === 'http://www.w3.org/2005/Atom' ? [] : ['root is not an Atom <feed>'];
    }
    default:
      return undefined;
  }
}

/** Checks responses against one document; compiled schemas are cached per response entry. */
export class Conformance {
  readonly operations: Operation[];
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.operations = operationsOf(doc);
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
  }

  private validator(key: string, schema: Record<string, unknown>): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      // `#/components/…` references resolve against the document's components.
      validate = this.ajv.compile({ ...schema, components: this.doc.components ?? {} });
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** The documented operation `method url` reaches. */
  operationFor(method: string, url: string): Operation | undefined {
    return operationFor(this.operations, method, url);
  }

  /** The problems of one response to `operation`: empty when it is as documented. */
  check(operation: Operation, response: InjectedResponse): string[] {
    const status = String(response.statusCode);
    const documented =
      operation.responses[status] ?? operation.responses[`${status[0] ?? ''}XX`] ?? undefined;
    if (documented === undefined) return [`status ${status} is not documented`];
    const content = documented.content ?? {};
    let body = response.rawPayload;
    if (Object.keys(content).length === 0) {
      return body.length === 0 ? [] : [`${status} documents no body but one was sent`];
    }
    const sent = String(response.headers['content-type'] ?? '');
    const mediaType = Object.keys(content).find((m) => mediaTypeMatches(m, sent));
    if (mediaType === undefined) {
      return [`Content-Type "${sent}" is not one of ${Object.keys(content).join(', ')}`];
    }
    if (response.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const { essence } = parseMediaType(mediaType);
    const schema = content[mediaType]?.schema ?? {};
    const validate = () => this.validator(`${operation.key} ${status} ${mediaType}`, schema);
    if (isJson(essence)) {
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch {
        return [`${mediaType} body is not JSON`];
      }
      const check = validate();
      return check(value)
        ? []
        : (check.errors ?? []).map((e) => `body${e.instancePath} ${e.message ?? 'invalid'}`);
    }
    const magic = MAGIC[essence];
    if (magic !== undefined) return magic(body) ? [] : [`body is not ${essence}`];
    const text = utf8(body);
    if (text === undefined) return [`${mediaType} body is not UTF-8`];
    const check = validate();
    if (!check(text)) return [`${mediaType} body does not match its schema`];
    if (text === '') return [`${mediaType} body is empty`];
    return textProblems(essence, text) ?? [`no check written for media type ${essence}`];
  }
}
