import { OrdoError } from '../errors.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Converts an `olderThan` query value to a cutoff in epoch milliseconds: an ISO
 * 8601 time is used as it is, a duration such as `15m`, `2h` or `7d` counts back from `nowMs`.
 */
export function olderThanCutoff(value: string, nowMs: number): number {
  const duration = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (duration) return nowMs - Number(duration[1]) * UNIT_MS[duration[2]!]!;

  const time = Date.parse(value);
  if (!Number.isNaN(time) && /^\d{4}-\d{2}-\d{2}/.test(value)) return time;

  throw new OrdoError('ERR_BAD_REQUEST', `olderThan=${JSON.stringify(value)} is neither a duration (like 15m, 2h, 7d) nor an ISO 8601 time (like 2024-05-01T12:00:00Z).`);
}
