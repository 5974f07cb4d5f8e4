/**
 * Converts an HTTP `Retry-After` header (delay in seconds, or an HTTP date) to
 * milliseconds from `nowMs`. Returns undefined when the header is absent or invalid,
 * and 0 for a date in the past.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;

  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;

  // Every HTTP date format starts with a day name; without this check Date.parse
  // would read values like "-5" as a year.
  if (!/^[A-Za-z]/.test(value)) return undefined;
  const dateMs = Date.parse(value);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
