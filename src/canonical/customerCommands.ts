import { Type, type Static } from '@sinclair/typebox';
import { AccountChanges } from './account.ts';
import { commandSchema } from './commandSchema.ts';
import { erpRejectionFields } from './erpRejection.ts';
import { ResyncReason } from './resyncReason.ts';
import { SourceStamp } from './sourceStamp.ts';

// Commands the customer entity (key: CRM account id) accepts.

export const CustomerUpsert = commandSchema('customer.upsert', { data: AccountChanges, source: SourceStamp });
export type CustomerUpsert = Static<typeof CustomerUpsert>;

export const CustomerResync = commandSchema('customer.resync', { reason: ResyncReason, source: SourceStamp });
export type CustomerResync = Static<typeof CustomerResync>;

export const CustomerResolve = commandSchema('customer.resolve', { note: Type.Optional(Type.String()) });
export type CustomerResolve = Static<typeof CustomerResolve>;

export const CustomerEnsureReady = commandSchema('customer.ensureReady', {
  orderKey: Type.String({ minLength: 1, description: 'the order that receives customer.ready or customer.blocked' }),
});
export type CustomerEnsureReady = Static<typeof CustomerEnsureReady>;

export const ErpCustomerUpserted = commandSchema('erp.customer.upserted', {
  customerNumber: Type.String({ minLength: 1 }),
});
export type ErpCustomerUpserted = Static<typeof ErpCustomerUpserted>;

export const ErpCustomerRejected = commandSchema('erp.customer.rejected', erpRejectionFields);
export type ErpCustomerRejected = Static<typeof ErpCustomerRejected>;

export const ErpCustomerCreditStatus = commandSchema('erp.customer.creditStatus', {
  onHold: Type.Boolean(),
  reason: Type.Optional(Type.String()),
});
export type ErpCustomerCreditStatus = Static<typeof ErpCustomerCreditStatus>;
