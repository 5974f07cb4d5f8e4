export interface BackoffOptions {
  /** Ceiling of the first retry's delay, in milliseconds. Default 200. */
  baseMs?: number;
  /** Largest ceiling, in milliseconds; a larger `retryAfterMs` still wins. Default 30_000. */
  maxMs?: number;
  /** Delay the remote side asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** Uniform random number in [0, 1), injected so tests are deterministic. */
  random: () => number;
}

/**
 * Computes the delay before the next attempt: exponential backoff with full jitter,
 * a uniform draw in [0, min(maxMs, baseMs * 2^(attempt - 1))), raised to
 * `retryAfterMs` when the remote side asked for more.
 * `attempt` counts the failed attempts so far, starting at 1; 0 is treated as 1.
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions): number {
  const baseMs = options.baseMs ?? 200;
  const maxMs = options.maxMs ?? 30_000;

  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`computeBackoffMs attempt must be a non-negative integer, got ${attempt}`);
  }
  if (!(baseMs >= 0) || !(maxMs >= 0)) {
    throw new RangeError(`computeBackoffMs baseMs and maxMs must be non-negative, got baseMs=${baseMs} maxMs=${maxMs}`);
  }

  const exponent = Math.max(attempt - 1, 0);
  const ceilingMs = Math.min(maxMs, baseMs * 2 ** exponent);
  const jitteredMs = Math.floor(options.random() * ceilingMs);

  return Math.max(jitteredMs, options.retryAfterMs ?? 0);
}
