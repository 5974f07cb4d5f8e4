import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { commandSchemas, isCommandType, type CommandType } from './commandSchemas.ts';
import { describeSchemaErrors, describeValue } from './schemaErrors.ts';
import { registerSchemaFormats } from './schemaFormats.ts';

export type CommandValidation = { ok: true } | { ok: false; errors: string[] };

const MAX_ERRORS = 20;

const checkers = new Map<CommandType, TypeCheck<TSchema>>();

/**
 * Validates an entity command against the schema its `type` names. Each error names the
 * JSON pointer of the offending field, the problem and the value found there.
 */
export function validateCommand(event: unknown): CommandValidation {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { ok: false, errors: [`/: expected a command object, got ${describeValue(event)}`] };
  }

  const type = (event as { type?: unknown }).type;
  if (!isCommandType(type)) {
    const known = Object.keys(commandSchemas).join(', ');
    return { ok: false, errors: [`/type: unknown command type ${describeValue(type)}; use one of: ${known}`] };
  }

  const checker = checkerFor(type);
  if (checker.Check(event)) return { ok: true };

  return { ok: false, errors: describeSchemaErrors(checker.Errors(event), MAX_ERRORS) };
}

function checkerFor(type: CommandType): TypeCheck<TSchema> {
  let checker = checkers.get(type);
  if (checker === undefined) {
    registerSchemaFormats();
    checker = TypeCompiler.Compile(commandSchemas[type]);
    checkers.set(type, checker);
  }
  return checker;
}
