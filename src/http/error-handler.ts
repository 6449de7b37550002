import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../shared/errors.js';
import { isTransientConflict } from '../store/index.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Fastify's own error codes mapped to scamnet's stable codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the body as application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body_too_large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    message: 'The JSON body is empty.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    message: 'Content-Length does not match the body.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'path_parameter_too_long',
    message: 'A path parameter is longer than 512 characters.',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', message: 'The request path is malformed.' },
};

/** HTTP parser errors (Node's llhttp codes) mapped like FASTIFY_CODES; anything else is 400. */
const PARSER_CODES: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    message: 'The request headers are too large.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    message: 'The request was not received in time.',
  },
};
const MALFORMED_REQUEST = {
  status: 400,
  code: 'malformed_request',
  message: 'The request is not valid HTTP/1.1 (framing, headers or chunked encoding).',
};

/**
 * Fastify's `clientErrorHandler`: answers a request that Node's HTTP parser refused (bad chunked
 * encoding, two Content-Length headers, a header over the size limit, a timeout) in the API's
 * error shape `{ "error": { "code", "message" } }` — never echoing the request — and closes the
 * connection (RFC 9112 §9.6: after a framing error the connection cannot be reused).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const mapped = PARSER_CODES[error.code ?? ''] ?? MALFORMED_REQUEST;
  const body = JSON.stringify({ error: { code: mapped.code, message: mapped.message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${mapped.status} ${STATUS_TEXT[mapped.status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (first === undefined) return undefined;
  const params: Record<string, unknown> = first.params;
  const missing = params.missingProperty ?? params.additionalProperty;
  const pathParts = first.instancePath.split('/').filter((p) => p !== '');
  if (typeof missing === 'string') pathParts.push(missing);
  return pathParts.length > 0 ? pathParts.join('.') : undefined;
}

/**
 * Renders every error as `{ "error": { "code", "message", "details"? } }`. AppErrors keep their
 * status and code; schema validation failures become 400 `validation_failed` naming the field;
 * body parsing failures get their own codes; a transaction PostgreSQL aborted for a conflict with
 * another (40P01, 40001; services retry those first) is a 503 `transaction_conflict` with
 * Retry-After; anything else is a 500 whose message is logged but never shown to the client.
 */
export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  let status = 500;
  let body: ErrorBody = {
    error: { code: 'internal_error', message: 'Something went wrong on our side.' },
  };
  if (isAppError(error)) {
    status = error.status;
    body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: { ...error.details } } : {}),
      },
    };
  } else if (isTransientConflict(error)) {
    status = 503;
    body = {
      error: {
        code: 'transaction_conflict',
        message: 'The request met a concurrent change; nothing was saved. Try again.',
      },
    };
    void reply.header('retry-after', '1');
  } else if (error.validation !== undefined) {
    status = 400;
    const field = fieldOf(error);
    const where = error.validationContext ?? 'request';
    body = {
      error: {
        code: 'validation_failed',
        message: `Invalid ${where}${field === undefined ? '' : ` field "${field}"`}: ${error.validation[0]?.message ?? 'invalid'}.`,
        ...(field === undefined ? {} : { details: { field } }),
      },
    };
  } else if (error.code !== undefined && FASTIFY_CODES[error.code] !== undefined) {
    const mapped = FASTIFY_CODES[error.code];
    if (mapped !== undefined) {
      status = mapped.status;
      body = { error: { code: mapped.code, message: mapped.message } };
    }
  } else if (
    error instanceof SyntaxError ||
    (error.statusCode === 400 && /JSON/i.test(error.message))
  ) {
    status = 400;
    body = { error: { code: 'invalid_json', message: 'The body is not valid JSON.' } };
  } else if (error.statusCode === 429) {
    status = 429;
    body = {
      error: { code: 'rate_limited', message: 'Too many requests: try again in a minute.' },
    };
  } else if (
    typeof error.statusCode === 'number' &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  ) {
    status = error.statusCode;
    body = { error: { code: 'bad_request', message: error.message } };
  }
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(status).type('application/json; charset=utf-8').send(body);
}
