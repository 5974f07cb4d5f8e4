/**
 * Shapes shared by the quote-to-cash machines: the metadata the host adds to
 * every inbox message, plus the canonical types (from src/canonical) the
 * commands carry. The vocabulary itself is described in docs/commands.md.
 */

import type { EventMeta } from '../src/inboxApplier.ts';

/** Metadata the host adds to every event before the machine receives it. */
export type { EventMeta };

export type { SourceStamp } from '../src/canonical/sourceStamp.ts';
export type { Money } from '../src/canonical/money.ts';
export type { Account, AccountChanges } from '../src/canonical/account.ts';
export type { Opportunity, OpportunityChanges, OpportunityStage } from '../src/canonical/opportunity.ts';

/** Adds the host's metadata to an event payload. */
export type WithMeta<T> = T & { meta: EventMeta };

/** An ERP business rejection, as the effect handler reports it. */
export interface ErpRejection {
  operation: string;
  reason: string;
  message: string;
}

/** Params of the `crm.exception.raise` effect. */
export interface ExceptionParams {
  reason: string;
  message: string;
  details?: Record<string, unknown>;
}
