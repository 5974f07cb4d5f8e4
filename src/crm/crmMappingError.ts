/** Stable codes of the errors a CRM mapping raises; the caller sends the event to dead letters. */
export const CRM_MAPPING_ERROR_CODES = {
  ERR_CRM_UNKNOWN_SOURCE: 'the subject names a CRM source no mapping exists for',
  ERR_CRM_UNKNOWN_OBJECT: 'the subject names an object type the source mapping does not handle',
  ERR_CRM_UNKNOWN_EVENT_TYPE: 'the body names an event or change type the mapping does not handle',
  ERR_CRM_INVALID_EVENT: 'the body does not have the shape the source sends',
  ERR_CRM_INVALID_VALUE: 'a field value cannot be converted to the canonical model',
  ERR_CRM_OBJECT_ID_MISMATCH: 'the object id in the subject differs from the one in the body',
  ERR_CRM_UNADDRESSABLE_EVENT: 'the event names no record id, so no entity can receive it',
} as const;

export type CrmMappingErrorCode = keyof typeof CRM_MAPPING_ERROR_CODES;

/** A CRM event that cannot be mapped to entity commands. Retrying it gives the same error. */
export class CrmMappingError extends Error {
  readonly code: CrmMappingErrorCode;

  constructor(code: CrmMappingErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'CrmMappingError';
    this.code = code;
  }
}
