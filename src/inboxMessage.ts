/** One message read from a partition of a stream, decoupled from the NATS client types. */
export interface StreamMessage {
  stream: string;
  seq: number;
  subject: string;
  data: Uint8Array;
  headers: Record<string, string>;
  /** JetStream's store time, epoch milliseconds: the fallback event time. */
  timestampMs: number;
  partition: number;
}
