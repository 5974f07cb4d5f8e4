import { Type } from '@sinclair/typebox';

/** Payload fields of every `erp.*.rejected` result: which call failed, the business reason, the ERP's text. */
export const erpRejectionFields = {
  operation: Type.String({ minLength: 1, description: 'the ERP operation, for example salesOrder.create' }),
  reason: Type.String({ minLength: 1, description: 'business reason code, for example taxConfigMissing' }),
  message: Type.String({ description: "the ERP's own explanation" }),
};
