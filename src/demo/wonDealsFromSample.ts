import type { CrmSample } from '../replay/crmSample.ts';

/** Won deals of the replayed slice, split by whether the ERP can take them as they are. */
export interface WonDeals {
  /** Won deals whose account is in accounts.csv and whose product is in products.csv. */
  valid: Set<string>;
  /** Won deals naming a product the catalogue does not list, by opportunity id -> product. */
  unknownProduct: Map<string, string>;
  /** Won deals naming no account or one missing from accounts.csv. */
  unknownAccount: Set<string>;
}

/**
 * Classifies the won deals among the first `limit` opportunities straight from the CSV
 * data, without Ordo, so reconciliation compares Ordo's result with an independent count.
 */
export function wonDealsFromSample(sample: CrmSample, limit?: number): WonDeals {
  const accounts = new Set(sample.accounts.map((account) => account.name));
  const products = new Set(sample.products.map((product) => product.name));
  const opportunities = limit === undefined ? sample.opportunities : sample.opportunities.slice(0, limit);
  const won: WonDeals = { valid: new Set(), unknownProduct: new Map(), unknownAccount: new Set() };

  for (const opportunity of opportunities) {
    if (opportunity.dealStage !== 'Won') continue;
    if (opportunity.account === undefined || !accounts.has(opportunity.account)) won.unknownAccount.add(opportunity.opportunityId);
    else if (!products.has(opportunity.product)) won.unknownProduct.set(opportunity.opportunityId, opportunity.product);
    else won.valid.add(opportunity.opportunityId);
  }
  return won;
}
