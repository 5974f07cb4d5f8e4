/** Header names Ordo reads and writes on NATS messages. */
export const HEADER = {
  msgId: 'Nats-Msg-Id',
  contentType: 'Content-Type',
  entityType: 'Ordo-Entity-Type',
  /** The entity key, encoded as a subject token so any key fits in a header. */
  entityKey: 'Ordo-Entity-Key',
  eventTime: 'Ordo-Event-Time',
  sender: 'Ordo-Sender',
  /** On a replayed dead letter: the dead-letter sequence it came from. */
  replayOf: 'Ordo-Replay-Of',
  errorCode: 'Ordo-Error-Code',
  errorMessage: 'Ordo-Error-Message',
  originalSubject: 'Ordo-Original-Subject',
  originalStream: 'Ordo-Original-Stream',
  originalSeq: 'Ordo-Original-Seq',
  originalHeaders: 'Ordo-Original-Headers',
  originalMsgId: 'Ordo-Original-Msg-Id',
  /** Set instead of `Ordo-Original-Headers` when those are too large to copy: their JSON size in bytes. */
  originalHeadersOmitted: 'Ordo-Original-Headers-Omitted',
  /**
   * Optional on CRM messages: the object id as a key token. The CRM stream's
   * stored subject drops the id, so without this header the id comes from the body.
   */
  crmObjectId: 'Ordo-Object-Id',
} as const;

export const MSGPACK_CONTENT_TYPE = 'application/msgpack';
export const JSON_CONTENT_TYPE = 'application/json';
