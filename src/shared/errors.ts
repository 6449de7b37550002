/**
 * The one error type of scamnet. Domain code throws it; the HTTP error handler renders
 * `{ "error": { "code", "message" } }` with `status`, and the CLI maps `code` to an exit status.
 * `code` is stable (snake_case) and is part of the public API contract.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  /** Optional machine-readable details (e.g. the offending field); rendered for 4xx only. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = options.details;
  }
}

/** 400 with a stable code; `field` names the offending input field when there is one. */
export function badRequest(code: string, message: string, field?: string): AppError {
  return new AppError(400, code, message, field === undefined ? {} : { details: { field } });
}

/** 401: credentials missing or wrong. */
export function unauthorized(message = 'Authentication required.'): AppError {
  return new AppError(401, 'unauthorized', message);
}

/** 403: authenticated, but not allowed to do this. */
export function forbidden(message = 'Not allowed.'): AppError {
  return new AppError(403, 'forbidden', message);
}

/** 404 with a stable code such as `case_not_found`. */
export function notFound(code: string, message: string): AppError {
  return new AppError(404, code, message);
}

/** 409: the request conflicts with the current state. */
export function conflict(code: string, message: string): AppError {
  return new AppError(409, code, message);
}

/** True when `error` is an AppError (works across module copies by checking the shape). */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
