import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listByState } from '../src/http/stateIndex.ts';
import { CommitBatch } from '../src/store/commitBatch.ts';
import { OrdoStore } from '../src/store/ordoStore.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

describe('listing by state', () => {
  let dir: string;
  let store: OrdoStore;

  beforeAll(async () => {
    dir = await makeTempDir('ordo-listing-');
    store = new OrdoStore(dir, { historyLimit: 10 });
    const batch = new CommitBatch();
    const states: Array<[string, string]> = [['a', 'rejected.waiting'], ['b', 'rejected.escalated'], ['c', 'rejected'], ['d', 'rejected-x'], ['e', 'invoiced'], ['f', 'rejectedLater']];
    states.forEach(([key, state], index) => {
      batch.writeEntity(undefined, { entityType: 'order', key, partition: 0, snapshot: {}, state, status: 'active', version: index + 1, createdAtMs: index, updatedAtMs: index, recentIds: [], historyCount: 0 }, { seq: index + 1, msgId: key, eventType: 'x', from: null, to: state, outcome: 'applied', effects: [], notes: [], eventTimeMs: index });
    });
    await store.commit(batch);
  });

  afterAll(async () => {
    await store.close();
    await removeTempDir(dir);
  });

  it('includes nested states of a parent state', () => {
    const keys = listByState(store, 'order', { state: 'rejected', limit: 10 }).items.map((item) => item.key);
    expect(keys.sort()).toEqual(['a', 'b', 'c']);
  });

  it('lists an exact nested state alone', () => {
    expect(listByState(store, 'order', { state: 'rejected.waiting', limit: 10 }).items.map((item) => item.key)).toEqual(['a']);
  });

  it('pages through a parent state with cursors', () => {
    const first = listByState(store, 'order', { state: 'rejected', limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = listByState(store, 'order', { state: 'rejected', limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((item) => item.key).sort()).toEqual(['a', 'b', 'c']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('filters a parent state by update time', () => {
    expect(listByState(store, 'order', { state: 'rejected', updatedBeforeMs: 1, limit: 10 }).items.map((item) => item.key)).toEqual(['a']);
  });
});
