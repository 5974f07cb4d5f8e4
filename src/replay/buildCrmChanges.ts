import type { Account } from '../canonical/account.ts';
import type { Opportunity, OpportunityStage } from '../canonical/opportunity.ts';
import { toMinorUnits } from '../canonical/toMinorUnits.ts';
import type { CrmSample, SampleAccount, SampleOpportunity } from './crmSample.ts';
import { sampleAccountIds } from './sampleAccountId.ts';
import { sampleCountryCode } from './sampleCountryCode.ts';

export type CrmChangeKind = 'account' | 'opportunityCreated' | 'opportunityClosed';

interface ChangeBase {
  /** The CRM event id, used as `Nats-Msg-Id`: derived from the data alone, so a replay repeats it. */
  eventId: string;
  /** The CRM record id: account id or opportunity id. */
  objectId: string;
  /** When the change happened in the sample's history, epoch milliseconds (UTC midnight of its day). */
  dataTimeMs: number;
  /** Change number of the record: 1 for the first event, 2 for the closing one. */
  version: number;
}

export interface AccountChange extends ChangeBase {
  kind: 'account';
  data: Account;
}

export interface OpportunityChange extends ChangeBase {
  kind: 'opportunityCreated' | 'opportunityClosed';
  data: Partial<Opportunity> & { opportunityId: string };
}

/** One CRM change of the sample, independent of the CRM's wire format. */
export type CrmChange = AccountChange | OpportunityChange;

export interface BuildOptions {
  /** Use only the first `limit` opportunities of the file, and the accounts they name. Default: all. */
  limit?: number;
}

/** The changes in publishing order, and the data's time span. */
export interface CrmChangeSet {
  changes: CrmChange[];
  /** Earliest day in the whole pipeline, epoch milliseconds; accounts are created then. */
  dataStartMs: number;
  /** Latest day in the whole pipeline: the day the sample was taken. */
  dataEndMs: number;
  opportunities: number;
  accounts: number;
}

const KIND_ORDER: Record<CrmChangeKind, number> = { account: 0, opportunityCreated: 1, opportunityClosed: 2 };
const CURRENCY = 'USD';

/**
 * Turns the sample into CRM changes in time order: every account first, then for each
 * opportunity a created change at its engage date and, for won or lost deals, a closed
 * change at its close date. Prospecting rows have no dates, so they are created on the
 * last day of the data. Equal times are ordered accounts, created, closed, then by id.
 * Pure: the same sample gives the same changes and ids.
 */
export function buildCrmChanges(sample: CrmSample, options: BuildOptions = {}): CrmChangeSet {
  const accountIds = sampleAccountIds(sample.accounts.map((account) => account.name));
  const idOf = (name: string) => accountIds.get(name) ?? sampleAccountIds([name]).get(name)!;
  const { startMs, endMs } = dataSpan(sample.opportunities);

  const opportunities = options.limit === undefined ? sample.opportunities : sample.opportunities.slice(0, options.limit);
  const accounts = selectAccounts(sample.accounts, opportunities, options.limit !== undefined);

  const changes: CrmChange[] = [
    ...accounts.map((account) => accountChange(account, idOf, startMs)),
    ...opportunities.flatMap((opportunity) => opportunityChanges(opportunity, idOf, endMs)),
  ];
  changes.sort(compareChanges);
  return { changes, dataStartMs: startMs, dataEndMs: endMs, opportunities: opportunities.length, accounts: accounts.length };
}

function dataSpan(opportunities: readonly SampleOpportunity[]): { startMs: number; endMs: number } {
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const opportunity of opportunities) {
    for (const day of [opportunity.engageDate, opportunity.closeDate]) {
      if (day === undefined) continue;
      const ms = dayMs(day);
      startMs = Math.min(startMs, ms);
      endMs = Math.max(endMs, ms);
    }
  }
  if (!Number.isFinite(startMs)) throw new Error('The sales pipeline has no engage_date or close_date, so the replay cannot order its events; add dates');
  return { startMs, endMs };
}

// With a limit, only accounts that a selected opportunity names are sent.
function selectAccounts(accounts: readonly SampleAccount[], opportunities: readonly SampleOpportunity[], limited: boolean): SampleAccount[] {
  if (!limited) return [...accounts];
  const named = new Set(opportunities.map((opportunity) => opportunity.account).filter((name) => name !== undefined));
  return accounts.filter((account) => named.has(account.name));
}

function accountChange(account: SampleAccount, idOf: (name: string) => string, startMs: number): AccountChange {
  const accountId = idOf(account.name);
  const data: Account = {
    accountId,
    name: account.name,
    country: sampleCountryCode(account.officeLocation),
    sector: account.sector,
    annualRevenue: { amountMinor: toMinorUnits(`${account.revenueMillions}e6`, CURRENCY), currency: CURRENCY },
  };
  if (account.subsidiaryOf !== undefined) data.parentAccountId = idOf(account.subsidiaryOf);

  return { kind: 'account', eventId: `maven:account:${accountId}`, objectId: accountId, dataTimeMs: startMs, version: 1, data };
}

function opportunityChanges(opportunity: SampleOpportunity, idOf: (name: string) => string, endMs: number): OpportunityChange[] {
  const { opportunityId } = opportunity;
  const created: OpportunityChange = {
    kind: 'opportunityCreated',
    eventId: `maven:${opportunityId}:created`,
    objectId: opportunityId,
    dataTimeMs: opportunity.engageDate === undefined ? endMs : dayMs(opportunity.engageDate),
    version: 1,
    data: {
      opportunityId,
      ...(opportunity.account === undefined ? {} : { accountId: idOf(opportunity.account) }),
      productCode: opportunity.product,
      quantity: 1,
      stage: opportunity.dealStage === 'Prospecting' ? 'prospecting' : 'engaging',
      ownerName: opportunity.salesAgent,
    },
  };
  if (opportunity.closeDate === undefined) return [created];

  const closed: OpportunityChange = {
    kind: 'opportunityClosed',
    eventId: `maven:${opportunityId}:closed`,
    objectId: opportunityId,
    dataTimeMs: dayMs(opportunity.closeDate),
    version: 2,
    data: {
      opportunityId,
      stage: closedStage(opportunity),
      amount: { amountMinor: toMinorUnits(opportunity.closeValue ?? '0', CURRENCY), currency: CURRENCY },
      closeDate: opportunity.closeDate,
    },
  };
  return [created, closed];
}

function closedStage(opportunity: SampleOpportunity): OpportunityStage {
  return opportunity.dealStage === 'Won' ? 'closed_won' : 'closed_lost';
}

function compareChanges(a: CrmChange, b: CrmChange): number {
  if (a.dataTimeMs !== b.dataTimeMs) return a.dataTimeMs - b.dataTimeMs;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0;
}

function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}
