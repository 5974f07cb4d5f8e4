import { validateCommand } from '../canonical/validateCommand.ts';
import { CrmMappingError } from './crmMappingError.ts';
import type { CrmEventInput, CrmMappingOptions, CrmMappingResult } from './entityCommand.ts';
import { mapGenericEvent } from './mapGenericEvent.ts';
import { mapHubspotDelivery } from './mapHubspotDelivery.ts';
import { mapSalesforceEvent } from './mapSalesforceEvent.ts';

export const DEFAULT_CRM_CURRENCY = 'USD';

const MAPPERS: Readonly<Record<string, (input: CrmEventInput, defaultCurrency: string) => CrmMappingResult>> = {
  generic: (input) => mapGenericEvent(input),
  salesforce: mapSalesforceEvent,
  hubspot: mapHubspotDelivery,
};

/**
 * Maps one CRM message to commands for entities. Pure: no I/O, no clock, so the same
 * input always yields the same commands and message ids. Every command is checked
 * against its canonical schema before it is returned. Throws CrmMappingError for input
 * that cannot be mapped; the caller sends that message to dead letters.
 */
export function mapCrmEvent(input: CrmEventInput, options: CrmMappingOptions = {}): CrmMappingResult {
  const mapper = MAPPERS[input.source];
  if (mapper === undefined) {
    throw new CrmMappingError(
      'ERR_CRM_UNKNOWN_SOURCE',
      `CRM source ${JSON.stringify(input.source)} has no mapping; publish on crm.<${Object.keys(MAPPERS).join('|')}>.<object>.<id>`,
    );
  }

  const result = mapper(input, options.defaultCurrency ?? DEFAULT_CRM_CURRENCY);
  for (const command of result.commands) checkCommand(command.event, input);
  return result;
}

function checkCommand(event: unknown, input: CrmEventInput): void {
  const validation = validateCommand(event);
  if (validation.ok) return;

  throw new CrmMappingError(
    'ERR_CRM_INVALID_VALUE',
    `${input.source} ${input.object} ${JSON.stringify(input.objectId)} maps to an invalid command (${validation.errors.join('; ')}); correct the record in the CRM or the bridge`,
  );
}
