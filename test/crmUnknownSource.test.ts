import { describe, expect, it } from 'vitest';
import { CrmMappingError } from '../src/crm/crmMappingError.ts';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

describe('mapCrmEvent sources', () => {
  it('rejects an unknown source with the known ones', () => {
    let caught: unknown;
    try {
      mapCrmEvent({ source: 'pipedrive', object: 'deal', objectId: '1', body: {}, msgId: 'm1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CrmMappingError);
    expect((caught as CrmMappingError).code).toBe('ERR_CRM_UNKNOWN_SOURCE');
    expect((caught as CrmMappingError).message).toContain('"pipedrive"');
    expect((caught as CrmMappingError).message).toContain('salesforce');
  });
});
