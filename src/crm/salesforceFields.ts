import type { OpportunityStage } from '../canonical/opportunity.ts';
import { readDay, readMoney, readQuantity, readText } from './crmValues.ts';

/** Rule for reading one canonical field from a Salesforce record or change event. */
export interface SalesforceFieldRule {
  field: string;
  /** Salesforce field paths holding the value, first match wins; compound fields use `Compound.Component`. */
  paths: readonly string[];
  read(value: unknown, path: string, currency: string): unknown;
}

const text = (value: unknown, path: string) => readText(value, path);

/**
 * Account fields. Change events nest address parts in the `BillingAddress` compound field;
 * plain records (REST, sObject Tree) name them `BillingCountry` and `BillingState`, so both
 * are read. The billing state is used as the tax region, because US sales tax is set
 * per state.
 */
export const ACCOUNT_FIELD_RULES: readonly SalesforceFieldRule[] = [
  { field: 'name', paths: ['Name'], read: text },
  { field: 'country', paths: ['BillingAddress.Country', 'BillingCountry'], read: text },
  { field: 'taxRegion', paths: ['BillingAddress.State', 'BillingState'], read: text },
  { field: 'sector', paths: ['Industry'], read: text },
  { field: 'annualRevenue', paths: ['AnnualRevenue'], read: (value, path, currency) => readMoney(value, currency, path) },
  { field: 'parentAccountId', paths: ['ParentId'], read: text },
];

/**
 * Opportunity fields. Standard Opportunity has no product code field, so the mapping reads
 * the custom text field `Product_Code__c`, the ERP catalogue code of the one product sold.
 * Orgs that sell through line items fill it with a flow or trigger.
 */
export const OPPORTUNITY_FIELD_RULES: readonly SalesforceFieldRule[] = [
  { field: 'accountId', paths: ['AccountId'], read: text },
  { field: 'stage', paths: ['StageName'], read: (value, path) => salesforceStage(readText(value, path)) },
  { field: 'amount', paths: ['Amount'], read: (value, path, currency) => readMoney(value, currency, path) },
  { field: 'closeDate', paths: ['CloseDate'], read: (value, path) => readDay(value, path) },
  { field: 'productCode', paths: ['Product_Code__c'], read: text },
  { field: 'quantity', paths: ['TotalOpportunityQuantity'], read: (value, path) => readQuantity(value, path) },
];

const PROSPECTING_STAGES = new Set(['Prospecting', 'Qualification']);

/**
 * Maps a Salesforce `StageName` to a canonical stage: the default `Closed Won` and
 * `Closed Lost` stages close the deal, `Prospecting` and `Qualification` are early, any
 * other stage (including custom ones) is `engaging`.
 */
export function salesforceStage(stageName: string | null): OpportunityStage | null {
  if (stageName === null) return null;
  if (stageName === 'Closed Won') return 'closed_won';
  if (stageName === 'Closed Lost') return 'closed_lost';
  return PROSPECTING_STAGES.has(stageName) ? 'prospecting' : 'engaging';
}
