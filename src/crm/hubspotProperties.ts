import type { OpportunityStage } from '../canonical/opportunity.ts';
import { readDay, readMoney, readQuantity, readText } from './crmValues.ts';

/** Reads one HubSpot property value (always text in webhooks) into a canonical field value. */
export type HubspotPropertyReader = (value: string | null, property: string, currency: string) => unknown;

const text: HubspotPropertyReader = (value, property) => readText(value, property);
const money: HubspotPropertyReader = (value, property, currency) => readMoney(value, currency, property);

/**
 * Deal properties and the opportunity fields they set. `ordo_product_code` (ERP catalogue
 * code) and `ordo_quantity` are custom deal properties to create in HubSpot, because deals
 * have no product field of their own. Other deal properties are ignored.
 */
// NOTE: amounts take the mapping's default currency; a `deal_currency_code` change is ignored.
export const DEAL_PROPERTIES: Readonly<Record<string, { field: string; read: HubspotPropertyReader }>> = {
  dealstage: { field: 'stage', read: (value, property) => hubspotDealStage(readText(value, property)) },
  amount: { field: 'amount', read: money },
  closedate: { field: 'closeDate', read: (value, property) => readDay(value, property) },
  ordo_product_code: { field: 'productCode', read: text },
  ordo_quantity: { field: 'quantity', read: (value, property) => readQuantity(value, property) },
};

/**
 * Company properties and the account fields they set. `state` is used as the tax
 * region, as the billing state is for Salesforce. Other company properties are ignored.
 */
export const COMPANY_PROPERTIES: Readonly<Record<string, { field: string; read: HubspotPropertyReader }>> = {
  name: { field: 'name', read: text },
  country: { field: 'country', read: text },
  state: { field: 'taxRegion', read: text },
  industry: { field: 'sector', read: text },
  annualrevenue: { field: 'annualRevenue', read: money },
  hs_parent_company_id: { field: 'parentAccountId', read: text },
};

const PROSPECTING_STAGES = new Set(['appointmentscheduled', 'qualifiedtobuy']);

/**
 * Maps a `dealstage` value of the default sales pipeline: `closedwon` and `closedlost`
 * close the deal, the first two stages are early, any other stage (including the numeric
 * ids of custom pipelines) is `engaging`.
 */
export function hubspotDealStage(stage: string | null): OpportunityStage | null {
  if (stage === null) return null;
  if (stage === 'closedwon') return 'closed_won';
  if (stage === 'closedlost') return 'closed_lost';
  return PROSPECTING_STAGES.has(stage) ? 'prospecting' : 'engaging';
}
