import type { AnyStateMachine } from 'xstate';
import { OrdoError } from './errors.ts';
import { ENTITY_TYPE_PATTERN } from './subjects.ts';

/** The result of checking a command payload before it reaches the machine. */
export type CommandCheck = { ok: true } | { ok: false; errors: string[] };

/** Definition of one entity type: what the host needs to run it. `actors/` contains one per type. */
export interface EntityDefinition {
  /** Entity type name, also a subject token: lowercase letters, digits, `_` or `-`. */
  type: string;
  machine: AnyStateMachine;
  /** Validates a command before it is applied; a failure sends the message to dead letters. */
  validateCommand?: (event: unknown) => CommandCheck;
  /**
   * XState input for a new entity, for example timings from the deployment's settings.
   * Every node of a deployment must give the same input, or rebuilt snapshots differ.
   */
  input?: (key: string) => unknown;
}

/** Entity definitions by type name, checked once when the node starts. */
export class EntityRegistry {
  readonly #definitions = new Map<string, EntityDefinition>();

  constructor(definitions: readonly EntityDefinition[]) {
    for (const definition of definitions) {
      if (!ENTITY_TYPE_PATTERN.test(definition.type)) {
        throw new OrdoError('ERR_CONFIG_INVALID', `Entity type ${JSON.stringify(definition.type)} is not a valid name; use a lowercase letter then letters, digits, '_' or '-'.`);
      }
      if (this.#definitions.has(definition.type)) {
        throw new OrdoError('ERR_CONFIG_INVALID', `Entity type ${JSON.stringify(definition.type)} is registered twice; register each type once.`);
      }
      this.#definitions.set(definition.type, definition);
    }
  }

  get(type: string): EntityDefinition | undefined {
    return this.#definitions.get(type);
  }

  require(type: string): EntityDefinition {
    const definition = this.#definitions.get(type);
    if (!definition) {
      throw new OrdoError('ERR_ENTITY_TYPE_UNKNOWN', `Entity type ${JSON.stringify(type)} is not registered; known types: ${this.types().join(', ')}.`);
    }
    return definition;
  }

  types(): string[] {
    return [...this.#definitions.keys()];
  }
}
