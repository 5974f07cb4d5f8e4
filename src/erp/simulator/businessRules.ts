import type { ErpRejectionReason } from '../erpErrors.ts';
import type { ErpMoney } from '../erpConnector.ts';
import type { CatalogueProduct } from './simulatorOptions.ts';
import type { CustomerRecord } from './simulatorStore.ts';

export interface Rejection {
  reason: ErpRejectionReason;
  message: string;
}

/** Lower-cases a name and drops spaces and punctuation, so `ACME, Inc.` and `Acme Inc` compare equal. */
export function normaliseCustomerName(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export function duplicateCustomerRejection(
  accountId: string,
  name: string,
  customers: Iterable<CustomerRecord>,
): Rejection | undefined {
  const normalised = normaliseCustomerName(name);
  for (const other of customers) {
    if (other.accountId !== accountId && normaliseCustomerName(other.name) === normalised) {
      return {
        reason: 'duplicate',
        message: `Customer name ${JSON.stringify(name)} matches customer ${other.customerNumber} (${JSON.stringify(other.name)}, account ${other.accountId}); merge the accounts or rename one`,
      };
    }
  }
  return undefined;
}

export function isTaxConfigured(customer: CustomerRecord, taxCountries: ReadonlySet<string>): boolean {
  return customer.country !== undefined && taxCountries.has(customer.country.toUpperCase());
}

export function taxRejection(customer: CustomerRecord, taxCountries: ReadonlySet<string>): Rejection | undefined {
  if (isTaxConfigured(customer, taxCountries)) return undefined;

  const country = customer.country === undefined ? 'no country' : `country ${JSON.stringify(customer.country)}`;
  return {
    reason: 'taxConfigMissing',
    message: `Customer ${customer.customerNumber} (account ${customer.accountId}) has ${country} without tax configuration; set the account's country or configure tax for it`,
  };
}

export function unknownProductRejection(productCode: string, catalogue: ReadonlyMap<string, CatalogueProduct>): Rejection | undefined {
  if (catalogue.has(productCode)) return undefined;
  return { reason: 'unknownProduct', message: `Product code ${JSON.stringify(productCode)} is not in the ERP catalogue` };
}

/** Compares the amount with unit price × quantity. `tolerance` is a fraction of the list total, and undefined skips the check. */
export function pricingRejection(
  product: CatalogueProduct,
  quantity: number,
  amount: ErpMoney,
  tolerance: number | undefined,
): Rejection | undefined {
  if (tolerance === undefined) return undefined;

  const listTotalMinor = Math.round(product.unitPriceMinor * quantity);
  const differenceMinor = Math.abs(amount.amountMinor - listTotalMinor);
  const withinTolerance = differenceMinor <= tolerance * listTotalMinor;
  if (amount.currency === product.currency && withinTolerance) return undefined;

  return {
    reason: 'pricingMismatch',
    message: `Amount ${amount.amountMinor} ${amount.currency} differs from list price ${product.unitPriceMinor} ${product.currency} × ${quantity} = ${listTotalMinor} by more than ${tolerance * 100}%`,
  };
}

/** Rejects when the customer's open orders plus this one exceed its credit limit. An undefined limit means no limit. */
export function creditRejection(
  customer: CustomerRecord,
  openOrdersMinor: number,
  orderMinor: number,
  limitMinor: number | undefined,
): Rejection | undefined {
  if (limitMinor === undefined || openOrdersMinor + orderMinor <= limitMinor) return undefined;
  return {
    reason: 'creditHold',
    message: `Customer ${customer.customerNumber} (account ${customer.accountId}) would owe ${openOrdersMinor + orderMinor} with this order, above its credit limit of ${limitMinor}`,
  };
}
