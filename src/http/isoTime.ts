/** Formats epoch milliseconds as ISO 8601, or null when the time is missing or not finite. */
export function isoTime(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}
