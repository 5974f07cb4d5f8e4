import { headers as natsHeaders } from '@nats-io/transport-node';
import { OrdoError } from '../../errors.ts';
import { HEADER } from '../../headers.ts';
import { decodeKeyToken, encodeKeyToken, validateKey } from '../../keys.ts';
import type { OrdoNode } from '../../ordoNode.ts';
import { crmPublishSubject, inboxPublishSubject } from '../../subjects.ts';
import { AUDIT_ORIGIN, type DeadLetterRecord } from './deadLetterRecord.ts';
import { readDeadLetter } from './deadLetterReader.ts';

export interface ReplayRequest {
  /** Target entity for inbox letters whose entity is unknown or wrong. */
  entityType?: string;
  key?: string;
  /** CRM object id for CRM letters without an `Ordo-Object-Id` header. */
  objectId?: string;
  /** Distinguishes replays of the same letter; equal tokens publish the same message id. */
  token: string;
}

export interface ReplayResult {
  replayOf: number;
  subject: string;
  msgId: string;
  stream: string;
  seq: number;
  duplicate: boolean;
}

/**
 * Republishes a dead letter's original bytes and headers where they first
 * arrived: inbox letters to `ordo.in.<type>.<key>`, CRM letters to
 * `crm.<source>.<object>.<objectId>`. The replay gets a new message id
 * `replay:<dlqSeq>:<token>` and the header `Ordo-Replay-Of: <dlqSeq>`. A replay
 * that fails again becomes a new dead letter, and its original headers contain
 * `Ordo-Replay-Of`, so each failure links to the one before.
 * The replayed letter stays in the stream.
 */
export async function replayDeadLetter(node: OrdoNode, seq: number, request: ReplayRequest): Promise<ReplayResult> {
  const letter = await readDeadLetter(node, seq);
  const subject = replaySubject(node, letter, request);
  const msgId = `replay:${seq}:${request.token}`;

  const headers = natsHeaders();
  for (const [name, value] of Object.entries(letter.originalHeaders)) {
    if (name !== HEADER.msgId) headers.set(name, value);
  }
  headers.set(HEADER.msgId, msgId);
  headers.set(HEADER.replayOf, String(seq));
  if (letter.origin === 'inbox' && request.entityType !== undefined && request.key !== undefined) {
    headers.set(HEADER.entityType, request.entityType);
    headers.set(HEADER.entityKey, encodeKeyToken(request.key));
  }
  if (letter.origin === 'crm' && request.objectId !== undefined) {
    headers.set(HEADER.crmObjectId, encodeKeyToken(request.objectId));
  }

  const ack = await node.js.publish(subject, letter.data, { msgID: msgId, headers });
  return { replayOf: seq, subject, msgId, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
}

function replaySubject(node: OrdoNode, letter: DeadLetterRecord, request: ReplayRequest): string {
  switch (letter.origin) {
    case 'inbox':
      return inboxSubject(node, letter, request);
    case 'crm':
      return crmSubject(letter, request);
    case AUDIT_ORIGIN:
      throw new OrdoError('ERR_DEAD_LETTER_IS_AUDIT', `Sequence ${letter.seq} is the audit record of discarded dead letter ${letter.audit?.discardedSeq}; audit records cannot be replayed.`);
    default:
      throw new OrdoError('ERR_DEAD_LETTER_NOT_REPLAYABLE', `Dead letter ${letter.seq} has origin ${JSON.stringify(letter.origin)}: it records a parked effect, not a message, so there is nothing to republish. Fix the cause and send the entity a command instead.`);
  }
}

function inboxSubject(node: OrdoNode, letter: DeadLetterRecord, request: ReplayRequest): string {
  const entityType = request.entityType ?? letter.entity?.type;
  const key = request.key ?? letter.entity?.key ?? undefined;
  if (entityType === undefined || key === undefined) {
    throw new OrdoError('ERR_BAD_REQUEST', `Dead letter ${letter.seq} does not name its entity; send {"entityType": "...", "key": "..."} in the request body.`);
  }
  if ((request.entityType === undefined) !== (request.key === undefined)) {
    throw new OrdoError('ERR_BAD_REQUEST', 'Send entityType and key together, or neither.');
  }

  node.registry.require(entityType);
  return inboxPublishSubject(entityType, validateKey(key));
}

function crmSubject(letter: DeadLetterRecord, request: ReplayRequest): string {
  // CRM letters keep the stored subject ordo.crmp.<partition>.<source>.<object>.
  const [, , , source, object] = (letter.original.subject ?? '').split('.');
  if (!source || !object) {
    throw new OrdoError('ERR_DEAD_LETTER_NOT_REPLAYABLE', `Dead letter ${letter.seq} has original subject ${JSON.stringify(letter.original.subject)}, which does not name a CRM source and object.`);
  }

  const objectId = request.objectId ?? objectIdFromHeaders(letter);
  if (objectId === undefined) {
    throw new OrdoError('ERR_BAD_REQUEST', `CRM dead letter ${letter.seq} has no ${HEADER.crmObjectId} header, so its object id is unknown; send {"objectId": "..."} in the request body (CLI: ordo dlq replay ${letter.seq} --object-id ID).`);
  }
  return crmPublishSubject(source, object, objectId);
}

function objectIdFromHeaders(letter: DeadLetterRecord): string | undefined {
  const token = letter.originalHeaders[HEADER.crmObjectId];
  return token === undefined ? undefined : decodeKeyToken(token);
}
