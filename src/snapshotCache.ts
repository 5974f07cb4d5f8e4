import type { AnyMachineSnapshot } from 'xstate';

interface CachedSnapshot {
  snapshot: AnyMachineSnapshot;
  version: number;
}

/**
 * Restored machine snapshots by entity, least recently used evicted first, so
 * memory stays bounded however many entities are stored. A hit is used only
 * when its version equals the stored record's, so a stale entry is never applied.
 */
export class SnapshotCache {
  readonly #entries = new Map<string, CachedSnapshot>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(entityType: string, key: string, version: number): AnyMachineSnapshot | undefined {
    const id = cacheId(entityType, key);
    const entry = this.#entries.get(id);
    if (!entry || entry.version !== version) return undefined;

    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.snapshot;
  }

  set(entityType: string, key: string, version: number, snapshot: AnyMachineSnapshot): void {
    const id = cacheId(entityType, key);
    this.#entries.delete(id);
    this.#entries.set(id, { snapshot, version });
    if (this.#entries.size > this.#capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  /** Drops every entry, for example after a failed commit left the cache ahead of LMDB. */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

function cacheId(entityType: string, key: string): string {
  return `${entityType}\u0000${key}`;
}
