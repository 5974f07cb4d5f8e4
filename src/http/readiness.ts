import type { OrdoNode } from '../ordoNode.ts';
import { STREAM } from '../subjects.ts';
import { partitionLags } from './partitionLag.ts';

const NATS_PING_TIMEOUT_MS = 2_000;

export interface Readiness {
  ready: boolean;
  reasons: string[];
  natsConnected: boolean;
  missingStreams: string[];
  ownedPartitions: number;
  maxLag: number | null;
  lagThreshold: number;
}

/**
 * Checks what a load balancer needs before sending traffic: NATS replies to a ping,
 * the four streams exist, the node owns at least one partition, and no owned
 * partition lags more than `lagThreshold` messages behind its inbox.
 */
export async function checkReadiness(node: OrdoNode, lagThreshold: number): Promise<Readiness> {
  const reasons: string[] = [];
  const ownedPartitions = node.ownership.owned().length;
  if (ownedPartitions === 0) reasons.push('the node owns no partition');

  const natsConnected = await pingNats(node);
  if (!natsConnected) {
    reasons.push(`NATS did not reply to a ping within ${NATS_PING_TIMEOUT_MS} ms`);
    // Stream and lag checks would only time out one by one.
    return { ready: false, reasons, natsConnected, missingStreams: [], ownedPartitions, maxLag: null, lagThreshold };
  }

  const missingStreams = await findMissingStreams(node);
  if (missingStreams.length > 0) reasons.push(`missing streams: ${missingStreams.join(', ')}`);

  const lags = await partitionLags(node);
  const maxLag = lags.size === 0 ? null : Math.max(...lags.values());
  if (maxLag !== null && maxLag >= lagThreshold) {
    const worst = [...lags].filter(([, lag]) => lag === maxLag).map(([partition]) => partition);
    reasons.push(`partition ${worst.join(', ')} lags ${maxLag} messages (threshold ${lagThreshold})`);
  }

  return { ready: reasons.length === 0, reasons, natsConnected, missingStreams, ownedPartitions, maxLag, lagThreshold };
}

async function pingNats(node: OrdoNode): Promise<boolean> {
  if (node.nc.isClosed()) return false;

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), NATS_PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([node.nc.rtt().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function findMissingStreams(node: OrdoNode): Promise<string[]> {
  const names = Object.values(STREAM);
  const found = await Promise.all(names.map((name) => node.jsm.streams.info(name).then(() => true, () => false)));
  return names.filter((_, index) => !found[index]);
}
