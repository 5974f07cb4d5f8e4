import { setTimeout as sleep } from 'node:timers/promises';
import type { OrdoNode } from './ordoNode.ts';
import { STREAM, crmStoredPrefix, inboxStoredSubject } from './subjects.ts';

const POLL_MS = 50;

/**
 * Polls until, twice in a row, every owned partition's watermarks equal the last
 * sequence stored for it and the executor has nothing queued. Twice, because an
 * effect finishing between two checks can publish a new message.
 */
export async function waitForIdle(node: OrdoNode, options: { timeoutMs?: number }): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let quietChecks = 0;

  while (quietChecks < 2) {
    if (Date.now() > deadline) {
      throw new Error(`node ${node.config.nodeId} did not become idle within ${options.timeoutMs ?? 60_000} ms (effects in flight: ${node.executor.inFlight})`);
    }
    quietChecks = (await isIdle(node)) ? quietChecks + 1 : 0;
    if (quietChecks < 2) await sleep(POLL_MS);
  }
}

async function isIdle(node: OrdoNode): Promise<boolean> {
  if (node.executor.inFlight > 0) return false;

  for (const partition of node.ownership.owned()) {
    const inboxHead = await lastSeq(node, STREAM.inbox, inboxStoredSubject(partition));
    if (inboxHead > node.store.getWatermark('inbox', partition)) return false;

    if (!node.readsCrm) continue;
    const crmHead = await lastSeq(node, STREAM.crm, `${crmStoredPrefix(partition)}.>`);
    if (crmHead > node.store.getWatermark('crm', partition)) return false;
  }
  return node.store.outboxDepth() === 0;
}

/** Returns the sequence of the last message stored under `subject` (a filter may end in `>`), or 0. */
export async function lastSeq(node: OrdoNode, stream: string, subject: string): Promise<number> {
  try {
    const message = await node.jsm.streams.getMessage(stream, { last_by_subj: subject });
    return message?.seq ?? 0;
  } catch {
    return 0;
  }
}
