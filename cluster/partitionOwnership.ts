/** Callbacks the node gives the ownership policy: start or stop working a partition. */
export interface PartitionListener {
  acquire(partition: number): Promise<void>;
  release(partition: number): Promise<void>;
}

/**
 * Decides which partitions this node applies. A node applies and runs effects
 * only for partitions it owns; `release` completes before another node may take one.
 */
export interface PartitionOwnership {
  start(listener: PartitionListener): Promise<void>;
  owns(partition: number): boolean;
  owned(): number[];
  stop(): Promise<void>;
}

/** One node owning every partition: the single-node deployment. */
export class StaticOwnership implements PartitionOwnership {
  readonly #partitions: number[];
  #listener: PartitionListener | undefined;

  constructor(partitionCount: number) {
    this.#partitions = Array.from({ length: partitionCount }, (_, partition) => partition);
  }

  async start(listener: PartitionListener): Promise<void> {
    this.#listener = listener;
    for (const partition of this.#partitions) await listener.acquire(partition);
  }

  owns(partition: number): boolean {
    return partition >= 0 && partition < this.#partitions.length;
  }

  owned(): number[] {
    return [...this.#partitions];
  }

  async stop(): Promise<void> {
    for (const partition of this.#partitions) await this.#listener?.release(partition);
  }
}
