/** An effect committed with the transition that produced it, not yet executed. */
export interface OutboxEntry {
  /** Deterministic effect id: `<partition>:<seq>:<index>`. */
  id: string;
  partition: number;
  seq: number;
  index: number;
  entityType: string;
  key: string;
  /** The XState action type, for example `erp.salesOrder.create` or `xstate.emit`. */
  kind: string;
  params: Record<string, unknown>;
  /** Event time of the message that produced the effect, epoch milliseconds. */
  eventTimeMs: number;
  attempts: number;
}
