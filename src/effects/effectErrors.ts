/** An effect failed in a way that may pass on a later attempt (timeout, 429, 5xx, open breaker). */
export class RetryableEffectError extends Error {
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RetryableEffectError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** An effect that can never succeed as written (authentication, malformed request); it is parked. */
export class FatalEffectError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'FatalEffectError';
    this.code = code;
  }
}
