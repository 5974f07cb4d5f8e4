/** Outcomes of document calls: ledger results plus what happened before the ledger ran. */
export type CallOutcome =
  | 'created'
  | 'updated'
  | 'cancelled'
  | 'voided'
  | 'unchanged'
  | 'rejected'
  | 'replayed'
  | 'idempotencyConflict'
  | 'fault503'
  | 'fault429'
  | 'invalid'
  | 'unauthorized'
  | 'shuttingDown';

/** Counts document calls by operation and final outcome, for `GET /stats`. */
export class SimulatorStats {
  readonly #byOperation = new Map<string, Map<CallOutcome, number>>();
  #hangs = 0;

  /** Counts a call held by the hang fault; its final outcome is recorded separately when it ends. */
  recordHang(): void {
    this.#hangs += 1;
  }

  record(operation: string, outcome: CallOutcome): void {
    const counts = this.#byOperation.get(operation) ?? new Map<CallOutcome, number>();
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    this.#byOperation.set(operation, counts);
  }

  /** Call counts as plain objects; `total` counts each finished call once. */
  snapshot(): { total: number; hangs: number; byOutcome: Record<string, number>; byOperation: Record<string, Record<string, number>> } {
    let total = 0;
    const byOutcome: Record<string, number> = {};
    const byOperation: Record<string, Record<string, number>> = {};

    for (const [operation, counts] of this.#byOperation) {
      byOperation[operation] = Object.fromEntries(counts);
      for (const [outcome, count] of counts) {
        byOutcome[outcome] = (byOutcome[outcome] ?? 0) + count;
        total += count;
      }
    }
    return { total, hangs: this.#hangs, byOutcome, byOperation };
  }
}
