import type { SourceStamp } from './sourceStamp.ts';

export interface FieldUpdate {
  data: Record<string, unknown>;
  source: SourceStamp;
}

export interface MergedFields {
  /** The fields after the update; a field the CRM cleared (`null`) is removed. */
  data: Record<string, unknown>;
  /** The stamp of the change each field last took, kept for cleared fields too. */
  stamps: Record<string, SourceStamp>;
  /** Fields the update changed. */
  applied: string[];
  /** Fields the update did not change because the stored stamp is newer or the same change. */
  stale: string[];
}

/**
 * Orders two source stamps: negative when `a` is older, positive when newer, 0 for the
 * same change. Stamps of one system compare by `version`, then `sequence`, when both
 * carry a version, because CRM clocks can repeat within one commit. Otherwise they
 * compare by `timestamp`. Equal positions are ordered by `eventId`, so the winner of two
 * different changes with the same position does not depend on arrival order. Equal
 * positions with the same `eventId` are the same change delivered twice.
 */
export function compareStamps(a: SourceStamp, b: SourceStamp): number {
  const byPosition = comparePositions(a, b);
  if (byPosition !== 0) return byPosition;

  return compareEventIds(a.eventId, b.eventId);
}

/**
 * Applies a CRM update field by field: a field takes the new value only when the update's
 * stamp is newer than the one stored for that field. The inputs are not changed.
 */
export function mergeFields(
  current: Record<string, unknown>,
  currentStamps: Record<string, SourceStamp>,
  update: FieldUpdate,
): MergedFields {
  const data = { ...current };
  const stamps = { ...currentStamps };
  const applied: string[] = [];
  const stale: string[] = [];

  for (const [field, value] of Object.entries(update.data)) {
    const stored = stamps[field];
    if (stored !== undefined && compareStamps(update.source, stored) <= 0) {
      stale.push(field);
      continue;
    }

    if (value === null) delete data[field];
    else data[field] = value;
    stamps[field] = update.source;
    applied.push(field);
  }

  return { data, stamps, applied, stale };
}

// NOTE: when one field has stamps of several systems, or stamps with and without a
// version, this is not a total order, so the merge result may depend on arrival order.
function comparePositions(a: SourceStamp, b: SourceStamp): number {
  if (a.system === b.system && a.version !== undefined && b.version !== undefined) {
    if (a.version !== b.version) return Math.sign(a.version - b.version);
    return Math.sign((a.sequence ?? 0) - (b.sequence ?? 0));
  }
  return Math.sign(Date.parse(a.timestamp) - Date.parse(b.timestamp));
}

// Numeric ids (HubSpot's) sort before other ids and compare as numbers, so "10" follows
// "9"; other ids compare as text. Grouping first keeps this a total order.
function compareEventIds(a: string, b: string): number {
  if (a === b) return 0;

  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  if (aNumeric && a.length !== b.length) return Math.sign(a.length - b.length);
  return a < b ? -1 : 1;
}
