import { FatalEffectError } from '../effects/effectErrors.ts';
import type { EntityEventInput } from '../machineEffects.ts';
import type {
  ErpCallOptions,
  ErpConnector,
  ErpCustomerRequest,
  ErpInvoiceRequest,
  ErpSalesOrderRequest,
} from './erpConnector.ts';

/** One ERP effect kind: the connector call it makes and the event its result becomes. */
export interface ErpEffectOperation {
  /** Names the rejection event: `erp.<resource>.rejected`. */
  resource: 'customer' | 'salesOrder' | 'invoice';
  /** Builds the connector request from the effect params; throws `FatalEffectError` when the params lack its fields. */
  requestFrom(params: Record<string, unknown>): unknown;
  invoke(connector: ErpConnector, request: unknown, options: ErpCallOptions): Promise<EntityEventInput>;
}

/** ERP effect kinds by outbox `kind`, with the params each expects (see docs/commands.md). */
export const ERP_EFFECT_OPERATIONS: Readonly<Record<string, ErpEffectOperation>> = {
  'erp.customer.upsert': {
    resource: 'customer',
    requestFrom: (params) => requireObject(params, 'customer', 'erp.customer.upsert'),
    async invoke(connector, request, options) {
      const document = await connector.upsertCustomer(request as ErpCustomerRequest, options);
      return { type: 'erp.customer.upserted', customerNumber: document.customerNumber };
    },
  },
  'erp.salesOrder.create': {
    resource: 'salesOrder',
    requestFrom: (params) => requireObject(params, 'order', 'erp.salesOrder.create'),
    async invoke(connector, request, options) {
      const document = await connector.createSalesOrder(request as ErpSalesOrderRequest, options);
      return { type: 'erp.salesOrder.created', orderNumber: document.orderNumber };
    },
  },
  'erp.salesOrder.cancel': {
    resource: 'salesOrder',
    requestFrom: (params) => ({ orderNumber: requireString(params, 'orderNumber', 'erp.salesOrder.cancel') }),
    async invoke(connector, request, options) {
      const document = await connector.cancelSalesOrder(request as { orderNumber: string }, options);
      return { type: 'erp.salesOrder.cancelled', orderNumber: document.orderNumber };
    },
  },
  'erp.invoice.create': {
    resource: 'invoice',
    requestFrom: (params) => requireObject(params, 'invoice', 'erp.invoice.create'),
    async invoke(connector, request, options) {
      const document = await connector.createInvoice(request as ErpInvoiceRequest, options);
      return { type: 'erp.invoice.created', invoiceNumber: document.invoiceNumber };
    },
  },
  'erp.invoice.void': {
    resource: 'invoice',
    requestFrom: (params) => ({ invoiceNumber: requireString(params, 'invoiceNumber', 'erp.invoice.void') }),
    async invoke(connector, request, options) {
      const document = await connector.voidInvoice(request as { invoiceNumber: string }, options);
      return { type: 'erp.invoice.voided', invoiceNumber: document.invoiceNumber };
    },
  },
};

// The ERP validates the fields inside these objects; this check only catches an
// effect that lacks the object altogether.
function requireObject(params: Record<string, unknown>, field: string, kind: string): Record<string, unknown> {
  const value = params[field];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new FatalEffectError('ERR_ERP_PARAMS_INVALID', `Effect ${kind} needs an object in params.${field}, got ${JSON.stringify(value)}`);
}

function requireString(params: Record<string, unknown>, field: string, kind: string): string {
  const value = params[field];
  if (typeof value === 'string' && value !== '') return value;
  throw new FatalEffectError('ERR_ERP_PARAMS_INVALID', `Effect ${kind} needs a non-empty string in params.${field}, got ${JSON.stringify(value)}`);
}
