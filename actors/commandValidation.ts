import { commandEntityTypes, isCommandType, type EntityType } from '../src/canonical/commandSchemas.ts';
import { validateCommand } from '../src/canonical/validateCommand.ts';
import type { CommandCheck } from '../src/entityDefinition.ts';

/** Returns a validator accepting only valid commands addressed to `entityType`. */
export function commandValidatorFor(entityType: EntityType): (event: unknown) => CommandCheck {
  return (event) => {
    const result = validateCommand(event);
    if (!result.ok) return result;

    const type = (event as { type: string }).type;
    if (isCommandType(type) && commandEntityTypes[type] !== entityType) {
      return { ok: false, errors: [`/type: command ${type} is for ${commandEntityTypes[type]} entities, not ${entityType}; send it to the ${commandEntityTypes[type]} entity`] };
    }
    return result;
  };
}
