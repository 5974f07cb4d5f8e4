import { Type, type Static } from '@sinclair/typebox';

/**
 * Why an entity must be read again from the CRM instead of applying data: a Salesforce gap
 * or overflow event, or a record deleted, restored or merged in the CRM.
 */
export const ResyncReason = Type.Union([
  Type.Literal('gap'),
  Type.Literal('overflow'),
  Type.Literal('deleted'),
  Type.Literal('restored'),
  Type.Literal('merged'),
]);
export type ResyncReason = Static<typeof ResyncReason>;
