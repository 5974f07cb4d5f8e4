import { toMinorUnits } from '../canonical/toMinorUnits.ts';
import type { CatalogueProduct, ErpSimulatorOptions } from '../erp/simulator/simulatorOptions.ts';
import type { CrmSample, SampleAccount, SampleProduct } from '../replay/crmSample.ts';
import { sampleAccountId } from '../replay/sampleAccountId.ts';
import { SAMPLE_COUNTRY_CODES } from '../replay/sampleCountryCode.ts';

/**
 * Countries with tax configuration in the demo ERP: every country of the sample spelt
 * correctly, as ISO codes. An account whose country the replay cannot map (the sample's
 * `Philipines`) keeps its name, so its orders are rejected with `taxConfigMissing`.
 */
export const DEMO_TAX_COUNTRIES: readonly string[] = Object.freeze([...new Set(Object.values(SAMPLE_COUNTRY_CODES))].sort());

/**
 * Credit limit of an account as a share of its annual revenue: 0.1 %, so a company with
 * USD 1,000 million revenue may have USD 1 million of open orders. On the full sample the
 * won deals of two small accounts (Condax, Scottech) add up to more than their limit, so
 * their later orders are rejected with `creditHold`.
 */
export const CREDIT_LIMIT_SHARE_OF_REVENUE = 0.001;

const CURRENCY = 'USD';

/** Products of `products.csv` by catalogue name (`GTX Pro`, not the pipeline's `GTXPro`), at their list price. */
export function demoCatalogue(products: readonly SampleProduct[]): CatalogueProduct[] {
  return products.map((product) => ({
    productCode: product.name,
    name: product.name,
    unitPriceMinor: toMinorUnits(product.salesPrice, CURRENCY),
    currency: CURRENCY,
  }));
}

/** Credit limits by account id, in USD cents, from `CREDIT_LIMIT_SHARE_OF_REVENUE`. */
export function demoCreditLimits(accounts: readonly SampleAccount[]): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const account of accounts) limits[sampleAccountId(account.name)] = creditLimitMinor(account);
  return limits;
}

// Revenue is in USD millions, so 0.1 % of it is revenue × 1,000 USD; computed from the
// decimal text so no float rounding enters.
function creditLimitMinor(account: SampleAccount): number {
  const revenueMinor = toMinorUnits(`${account.revenueMillions}e6`, CURRENCY);
  return Math.floor(revenueMinor * CREDIT_LIMIT_SHARE_OF_REVENUE);
}

/**
 * Builds the demo ERP simulator's options: catalogue, tax countries and credit limits from the
 * sample, no price check (deals carry negotiated prices), documents kept in `stateFile`.
 */
export function demoErpOptions(sample: CrmSample, options: { stateFile?: string; port?: number } = {}): ErpSimulatorOptions {
  return {
    catalogue: demoCatalogue(sample.products),
    taxCountries: [...DEMO_TAX_COUNTRIES],
    creditLimits: demoCreditLimits(sample.accounts),
    pricingTolerance: undefined,
    stateFile: options.stateFile,
    port: options.port,
  };
}
