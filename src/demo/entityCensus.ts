import type { OrdoStore } from '../store/ordoStore.ts';
import type { EntityRecord } from '../store/records.ts';
import { entityException } from './entityException.ts';

/** What an entity looked like at one moment: enough to tell whether a replay changed it. */
export interface EntityFingerprint {
  state: string;
  version: number;
  /** The persisted machine snapshot as JSON text; equal text means an equal state and context. */
  snapshotJson: string;
}

export interface ExceptionGroup {
  entityType: string;
  reason: string;
  count: number;
  /** One entity with this exception, to inspect. */
  exampleKey: string;
}

/** Counts, exceptions and fingerprints of every stored entity, from one scan. */
export interface EntityCensus {
  /** Entity type -> state -> count. */
  byState: Map<string, Map<string, number>>;
  exceptions: ExceptionGroup[];
  /** `<type>/<key>` -> fingerprint. */
  fingerprints: Map<string, EntityFingerprint>;
  /** Orders by key, for reconciliation and latency. */
  orders: Map<string, EntityRecord>;
}

/** Scans all entities once. A full scan is fine for a report; listings in the API use the by-state index. */
export function takeEntityCensus(store: OrdoStore): EntityCensus {
  const byState = new Map<string, Map<string, number>>();
  const exceptions = new Map<string, ExceptionGroup>();
  const fingerprints = new Map<string, EntityFingerprint>();
  const orders = new Map<string, EntityRecord>();

  for (const { value: record } of store.entities.getRange()) {
    const states = byState.get(record.entityType) ?? new Map<string, number>();
    states.set(record.state, (states.get(record.state) ?? 0) + 1);
    byState.set(record.entityType, states);

    const exception = entityException(record);
    if (exception !== undefined) addException(exceptions, record, exception.reason);

    fingerprints.set(entityId(record.entityType, record.key), { state: record.state, version: record.version, snapshotJson: JSON.stringify(record.snapshot) });
    if (record.entityType === 'order') orders.set(record.key, record);
  }

  const sortedExceptions = [...exceptions.values()].sort((a, b) => b.count - a.count || a.entityType.localeCompare(b.entityType));
  return { byState, exceptions: sortedExceptions, fingerprints, orders };
}

export function entityId(entityType: string, key: string): string {
  return `${entityType}/${key}`;
}

function addException(groups: Map<string, ExceptionGroup>, record: EntityRecord, reason: string): void {
  const id = `${record.entityType}\u0000${reason}`;
  const group = groups.get(id);
  if (group === undefined) groups.set(id, { entityType: record.entityType, reason, count: 1, exampleKey: record.key });
  else group.count += 1;
}
