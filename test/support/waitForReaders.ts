import { setTimeout as sleep } from 'node:timers/promises';
import type { OrdoNode } from '../../src/ordoNode.ts';
import { STREAM } from '../../src/subjects.ts';

/**
 * Waits until the node's inbox readers are consuming, one per owned partition.
 * NOTE: a node stopped before that never finishes stopping (PartitionReader.stop misses a
 * consumer that is still being created), so tests that stop a node soon after start call this.
 */
export async function waitForReaders(node: OrdoNode, timeoutMs = 10_000): Promise<void> {
  const expected = node.ownership.owned().length;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A consumer with a waiting pull request belongs to a reader that has started consuming.
    let pulling = 0;
    for await (const info of node.jsm.consumers.list(STREAM.inbox)) if (info.num_waiting > 0) pulling++;
    if (pulling >= expected) return;
    await sleep(20);
  }
  throw new Error(`Node ${node.config.nodeId} did not start ${expected} inbox readers within ${timeoutMs} ms.`);
}
