import { OrdoError } from '../errors.ts';
import type { OrdoStore } from '../store/ordoStore.ts';

type IndexKey = [string, string, number, string];

/** One entry of the by-state index: what a listing returns without reading the entity. */
export interface IndexedEntity {
  key: string;
  state: string;
  updatedAtMs: number;
}

export interface StateListing {
  items: IndexedEntity[];
  /** Opaque position after the last item; absent when the listing is complete. */
  nextCursor?: string;
}

const HIGHEST = '\uffff';

/**
 * Lists entities of one type from the `byState` index, ordered by state, then
 * by last update (oldest first), then key. With `state`, only that state's range
 * is read, nested states included (`rejected` lists `rejected.waiting`).
 * `updatedBeforeMs` keeps entities last updated before that time by filtering index keys.
 * Entity records are never read.
 */
export function listByState(
  store: OrdoStore,
  entityType: string,
  options: { state?: string; updatedBeforeMs?: number; limit: number; cursor?: string },
): StateListing {
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, entityType, options.state);
  const start: unknown[] = after ?? (options.state === undefined ? [entityType] : [entityType, options.state]);
  const end = rangeEnd(entityType, options.state);

  const items: IndexedEntity[] = [];
  let last: IndexKey | undefined;
  for (const indexKey of store.byState.getKeys({ start: start as IndexKey, end: end as IndexKey })) {
    // The cursor is the last key already returned, and a range start is inclusive.
    if (after && sameKey(indexKey, after)) continue;
    const [, state, updatedAtMs, key] = indexKey;
    if (options.state !== undefined && !matchesState(state, options.state)) continue;
    if (options.updatedBeforeMs !== undefined && updatedAtMs >= options.updatedBeforeMs) continue;

    if (items.length === options.limit) return { items, nextCursor: encodeCursor(last!) };
    items.push({ key, state, updatedAtMs });
    last = indexKey;
  }
  return { items };
}

/**
 * Counts entities of one type by state. Cost: one pass over the type's index
 * keys (no entity values are read), so it grows with the number of entities of that type.
 */
export function countByState(store: OrdoStore, entityType: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [, state] of store.byState.getKeys({ start: [entityType] as unknown as IndexKey, end: [entityType, HIGHEST] as unknown as IndexKey })) {
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  return counts;
}

// '/' is the character after '.', so this range contains the state and every state nested in it
// (`rejected` and `rejected.waiting`), plus a few siblings such as `rejected-x` that the
// listing filters out.
function rangeEnd(entityType: string, state: string | undefined): unknown[] {
  return state === undefined ? [entityType, HIGHEST] : [entityType, `${state}/`];
}

/** Returns whether `state` is `filter` or nested in it: filter `rejected` matches `rejected.waiting`. */
export function matchesState(state: string, filter: string): boolean {
  return state === filter || state.startsWith(`${filter}.`);
}

function sameKey(a: IndexKey, b: IndexKey): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

function encodeCursor(indexKey: IndexKey): string {
  return Buffer.from(JSON.stringify(indexKey)).toString('base64url');
}

function decodeCursor(cursor: string, entityType: string, state: string | undefined): IndexKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }

  const valid = Array.isArray(decoded) && decoded.length === 4 && decoded[0] === entityType
    && typeof decoded[1] === 'string' && (state === undefined || matchesState(decoded[1], state))
    && typeof decoded[2] === 'number' && typeof decoded[3] === 'string';
  if (!valid) {
    throw new OrdoError('ERR_BAD_REQUEST', `cursor=${JSON.stringify(cursor)} was not returned by this listing; pass the nextCursor of the previous page with the same type and state.`);
  }
  return decoded as IndexKey;
}
