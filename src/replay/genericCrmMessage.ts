import { crmPublishSubject } from '../subjects.ts';
import type { CrmChange } from './buildCrmChanges.ts';
import type { CrmMessage } from './crmMessage.ts';

/** Formats a change in the generic CRM contract: `{ type, id, occurredAt, version, data }`. */
export function genericCrmMessage(change: CrmChange, occurredAtMs: number): CrmMessage {
  const object = change.kind === 'account' ? 'account' : 'opportunity';
  const body = {
    type: `${object}.upserted`,
    id: change.eventId,
    occurredAt: new Date(occurredAtMs).toISOString(),
    version: change.version,
    data: change.data,
  };
  return { subject: crmPublishSubject('generic', object, change.objectId), msgId: change.eventId, objectId: change.objectId, body };
}
