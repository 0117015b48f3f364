/**
 * Domain errors. Services throw these; one handler (http/error-handler.ts)
 * turns them into `{ error: { code, message, details } }` with the status.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InputError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_input', message, details);
  }
}

export class AuthenticationError extends AppError {
  constructor(message = 'Authentication required: send "Authorization: Bearer <token>"') {
    super(401, 'unauthenticated', message);
  }
}

export class NotAllowedError extends AppError {
  constructor(message: string, details?: unknown) {
    super(403, 'forbidden', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(kind: string, id: string | number) {
    super(404, 'not_found', `${kind} ${JSON.stringify(String(id))} does not exist`, { kind, id: String(id) });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, details?: unknown) {
    super(503, 'unavailable', message, details);
  }
}

/** A configured limit (streams, queued steps, active runs) is reached: 429, naming the limit. */
export class LimitError extends AppError {
  constructor(message: string, details: { limit: number; [key: string]: unknown }) {
    super(429, 'limit_reached', message, details);
  }
}
