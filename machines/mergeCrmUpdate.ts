import { mergeFields } from '../src/canonical/fieldVersions.ts';
import type { SourceStamp } from '../src/canonical/sourceStamp.ts';

/** The stamp of the CRM change each field last took, by field name. */
export type FieldStamps = Record<string, SourceStamp>;

export interface CrmMerge<T> {
  data: T;
  stamps: FieldStamps;
  /** Fields whose incoming value was newer and was taken. */
  applied: string[];
  /** Applied fields whose value differs from the one stored before, so a re-sync is worth it. */
  changed: string[];
  /** Fields whose incoming value was not newer than the stored one, so it was dropped. */
  stale: string[];
}

/**
 * Merges a partial CRM update field by field with `mergeFields` (a field takes the
 * newer value, `null` clears it) and lists which applied fields changed value.
 */
export function mergeCrmUpdate<T extends object>(data: T, stamps: FieldStamps, update: object, source: SourceStamp): CrmMerge<T> {
  const before = data as Record<string, unknown>;
  const merged = mergeFields(before, stamps, { data: update as Record<string, unknown>, source });
  const changed = merged.applied.filter((field) => !sameValue(before[field], merged.data[field]));

  return { data: merged.data as T, stamps: merged.stamps, applied: merged.applied, changed, stale: merged.stale };
}

// Values are JSON data (strings, numbers, Money objects), so comparing their
// JSON text is exact when object keys come in the same order. A different key
// order only makes an unchanged value count as changed, which costs one re-sync.
function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
