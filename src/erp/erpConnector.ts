/**
 * The interface every ERP integration implements (the simulator now, NetSuite or SAP
 * later). Each call carries an idempotency key, so repeating a call with the same key
 * and request creates no second document. Calls throw `ErpRetryableError`,
 * `ErpBusinessRejection` or `ErpFatalError` from `erpErrors.ts`, never anything else
 * for a failure the ERP or the network caused.
 */

/** Money in integer minor units and an ISO 4217 currency code. */
export interface ErpMoney {
  amountMinor: number;
  currency: string;
}

export interface ErpCallOptions {
  /** Derived from the entity and business step, never from the message. */
  idempotencyKey: string;
  /** Aborts the call; the ERP may still have executed it. */
  signal?: AbortSignal;
}

/** The canonical account, keyed by the CRM account id. */
export interface ErpCustomerRequest {
  accountId: string;
  name: string;
  /** ISO 3166-1 alpha-2 code; the ERP needs tax configuration for it before it takes orders. */
  country?: string;
  sector?: string;
  annualRevenue?: ErpMoney;
  parentAccountId?: string;
  taxRegion?: string;
}

export interface ErpSalesOrderRequest {
  /** The CRM opportunity id. */
  orderKey: string;
  customerNumber: string;
  productCode: string;
  quantity: number;
  amount: ErpMoney;
}

export interface ErpCancelSalesOrderRequest {
  orderNumber: string;
  reason?: string;
}

export interface ErpInvoiceRequest {
  orderKey: string;
  orderNumber: string;
  customerNumber: string;
  amount: ErpMoney;
  productCode: string;
  quantity: number;
}

export interface ErpVoidInvoiceRequest {
  invoiceNumber: string;
  reason?: string;
}

export interface ErpCustomerDocument {
  customerNumber: string;
}

export interface ErpSalesOrderDocument {
  orderNumber: string;
  status: 'open' | 'cancelled';
}

export interface ErpInvoiceDocument {
  invoiceNumber: string;
  status: 'issued' | 'voided';
}

export interface ErpConnector {
  /** Creates the customer, or updates the one with the same `accountId`. */
  upsertCustomer(request: ErpCustomerRequest, options: ErpCallOptions): Promise<ErpCustomerDocument>;
  createSalesOrder(request: ErpSalesOrderRequest, options: ErpCallOptions): Promise<ErpSalesOrderDocument>;
  /** Cancelling an order that is already cancelled returns it unchanged. */
  cancelSalesOrder(request: ErpCancelSalesOrderRequest, options: ErpCallOptions): Promise<ErpSalesOrderDocument>;
  createInvoice(request: ErpInvoiceRequest, options: ErpCallOptions): Promise<ErpInvoiceDocument>;
  /** Voiding an invoice that is already voided returns it unchanged. */
  voidInvoice(request: ErpVoidInvoiceRequest, options: ErpCallOptions): Promise<ErpInvoiceDocument>;
}
