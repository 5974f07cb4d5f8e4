import type { Money } from '../canonical/money.ts';
import type { OpportunityStage } from '../canonical/opportunity.ts';
import { crmPublishSubject } from '../subjects.ts';
import type { AccountChange, CrmChange, OpportunityChange } from './buildCrmChanges.ts';
import type { CrmMessage } from './crmMessage.ts';

// Standard Salesforce stage names; the mapping reads any stage it does not know as engaging.
const STAGE_NAMES: Record<OpportunityStage, string> = {
  prospecting: 'Prospecting',
  engaging: 'Needs Analysis',
  closed_won: 'Closed Won',
  closed_lost: 'Closed Lost',
};

/**
 * Formats a change as a Salesforce Change Data Capture event: accounts and new
 * opportunities as `CREATE`, a closing as an `UPDATE` naming the changed fields. Record
 * ids are the sample's ids, not 18-character Salesforce ids. `commitNumber` is the
 * change's per-record version, so stale checks order a record's events by it.
 */
export function salesforceCrmMessage(change: CrmChange, occurredAtMs: number): CrmMessage {
  const entityName = change.kind === 'account' ? 'Account' : 'Opportunity';
  const fields = change.kind === 'account' ? accountFields(change) : opportunityFields(change);
  const header = {
    entityName,
    recordIds: [change.objectId],
    changeType: change.kind === 'opportunityClosed' ? 'UPDATE' : 'CREATE',
    changeOrigin: 'ordo-replay',
    sequenceNumber: 1,
    commitTimestamp: occurredAtMs,
    commitNumber: change.version,
    ...(change.kind === 'opportunityClosed' ? { changedFields: Object.keys(fields) } : {}),
  };
  const body = { ChangeEventHeader: header, ...fields };
  return { subject: crmPublishSubject('salesforce', entityName, change.objectId), msgId: change.eventId, objectId: change.objectId, body };
}

function accountFields(change: AccountChange): Record<string, unknown> {
  const { data } = change;
  return withoutUndefined({
    Name: data.name,
    BillingCountry: data.country,
    Industry: data.sector,
    AnnualRevenue: data.annualRevenue === undefined ? undefined : majorUnits(data.annualRevenue),
    ParentId: data.parentAccountId,
  });
}

function opportunityFields(change: OpportunityChange): Record<string, unknown> {
  const { data } = change;
  return withoutUndefined({
    AccountId: data.accountId,
    StageName: data.stage === undefined ? undefined : STAGE_NAMES[data.stage],
    Amount: data.amount === undefined ? undefined : majorUnits(data.amount),
    CloseDate: data.closeDate,
    Product_Code__c: data.productCode,
    TotalOpportunityQuantity: data.quantity,
  });
}

// Salesforce currency fields hold major units; every sample amount is USD (two decimals).
function majorUnits(money: Money): number {
  return money.amountMinor / 100;
}

function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
