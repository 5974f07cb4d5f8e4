import type { EntityFingerprint } from './entityCensus.ts';
import type { ErpListings } from './erpListings.ts';

/** Changes one replay made, compared with the data folder before it. */
export interface RunComparison {
  /** Entities that existed before the replay. */
  entitiesBefore: number;
  newEntities: number;
  /** Entities that existed before and now have another state or context. */
  changedEntities: number;
  /** Entities whose version moved but whose state and context did not: repeats recorded in history only. */
  touchedOnly: number;
  newErpDocuments: number;
  erpDocumentsBefore: number;
}

/** Compares entity fingerprints and ERP document counts taken before and after a replay. */
export function compareRuns(
  before: { fingerprints: ReadonlyMap<string, EntityFingerprint>; erp: ErpListings },
  after: { fingerprints: ReadonlyMap<string, EntityFingerprint>; erp: ErpListings },
): RunComparison {
  let newEntities = 0;
  let changedEntities = 0;
  let touchedOnly = 0;
  for (const [id, now] of after.fingerprints) {
    const then = before.fingerprints.get(id);
    if (then === undefined) newEntities += 1;
    else if (then.state !== now.state || then.snapshotJson !== now.snapshotJson) changedEntities += 1;
    else if (then.version !== now.version) touchedOnly += 1;
  }

  const erpDocumentsBefore = documentCount(before.erp);
  return {
    entitiesBefore: before.fingerprints.size,
    newEntities,
    changedEntities,
    touchedOnly,
    newErpDocuments: documentCount(after.erp) - erpDocumentsBefore,
    erpDocumentsBefore,
  };
}

function documentCount(erp: ErpListings): number {
  return erp.customers.length + erp.salesOrders.length + erp.invoices.length;
}
