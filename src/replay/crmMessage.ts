import type { CrmChange } from './buildCrmChanges.ts';
import { genericCrmMessage } from './genericCrmMessage.ts';
import { salesforceCrmMessage } from './salesforceCrmMessage.ts';

export const REPLAY_SOURCES = ['generic', 'salesforce'] as const;
export type ReplaySource = (typeof REPLAY_SOURCES)[number];

/** One CRM event ready to publish. */
export interface CrmMessage {
  subject: string;
  /** `Nats-Msg-Id`: the change's event id. */
  msgId: string;
  /** The CRM record id, sent in the `Ordo-Object-Id` header because the stored subject drops it. */
  objectId: string;
  body: unknown;
}

/** Formats a change as the given CRM source publishes it, with `occurredAtMs` as its change time. */
export function toCrmMessage(change: CrmChange, source: ReplaySource, occurredAtMs: number): CrmMessage {
  return source === 'generic' ? genericCrmMessage(change, occurredAtMs) : salesforceCrmMessage(change, occurredAtMs);
}
