import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { OrdoError } from './errors.ts';

export const META_BUCKET = 'ordo_meta';
const PARTITIONS_KEY = 'partitions';

/**
 * Records the partition count the first time any node starts, and rejects a
 * node started with another count: its messages would be filed and read under
 * different partitions, which breaks per-entity order.
 */
export async function recordPartitionCount(nc: NatsConnection, partitions: number, replicas: number): Promise<void> {
  const kv = await new Kvm(nc).create(META_BUCKET, { replicas, history: 1 });

  try {
    await kv.create(PARTITIONS_KEY, String(partitions));
    return;
  } catch (error) {
    const existing = await kv.get(PARTITIONS_KEY);
    if (!existing || existing.operation !== 'PUT') throw error;

    const recorded = Number(existing.string());
    if (recorded !== partitions) {
      throw new OrdoError(
        'ERR_PARTITION_COUNT_MISMATCH',
        `This node was started with ${partitions} partitions but JetStream records ${recorded}; start it with --partitions ${recorded} (ORDO_PARTITIONS=${recorded}). The count cannot change once messages are stored.`,
      );
    }
  }
}
