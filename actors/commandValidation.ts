import { commandEntityTypes, isCommandType, type EntityType } from '../src/canonical/commandSchemas.ts';
import { validateCommand } from '../src/canonical/validateCommand.ts';
import type { CommandCheck } from '../src/entityDefinition.ts';

/** Returns a validator accepting only valid commands addressed to `entityType`. */
export function commandValidatorFor(entityType: EntityType): (event: unknown) => CommandCheck {
  const ownCommands = Object.entries(commandEntityTypes)
    .filter(([type, owner]) => owner === entityType && !type.startsWith('erp.'))
    .map(([type]) => type);

  return (event) => {
    const type = (event as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && !isCommandType(type)) {
      return { ok: false, errors: [`/type: unknown command ${JSON.stringify(type)} for ${entityType}; send one of: ${ownCommands.join(', ')}`] };
    }

    const result = validateCommand(event);
    if (!result.ok) return result;

    if (isCommandType(type) && commandEntityTypes[type] !== entityType) {
      return { ok: false, errors: [`/type: command ${type} is for ${commandEntityTypes[type]} entities, not ${entityType}; send it to the ${commandEntityTypes[type]} entity`] };
    }
    return result;
  };
}
