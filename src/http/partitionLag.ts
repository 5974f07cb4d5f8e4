import type { OrdoNode } from '../ordoNode.ts';
import { STREAM, inboxStoredSubject } from '../subjects.ts';
import { lastSeq } from '../waitForIdle.ts';

/**
 * Returns, for each partition this node owns, how many inbox messages are stored
 * but not yet applied: the stream's last sequence on `ordo.inp.<p>` minus the
 * partition's watermark. Costs one JetStream request per owned partition.
 */
export async function partitionLags(node: OrdoNode): Promise<Map<number, number>> {
  const owned = node.ownership.owned();
  const heads = await Promise.all(owned.map((partition) => lastSeq(node, STREAM.inbox, inboxStoredSubject(partition))));

  const lags = new Map<number, number>();
  owned.forEach((partition, index) => {
    lags.set(partition, Math.max(0, heads[index]! - node.store.getWatermark('inbox', partition)));
  });
  return lags;
}
