import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { describeSchemaErrors } from '../canonical/schemaErrors.ts';
import { registerSchemaFormats } from '../canonical/schemaFormats.ts';
import { CrmMappingError } from './crmMappingError.ts';

const MAX_ERRORS = 10;
const checkers = new WeakMap<TSchema, TypeCheck<TSchema>>();

/**
 * Checks a decoded CRM body (or part of one) against a schema and narrows its type.
 * Throws ERR_CRM_INVALID_EVENT listing each bad field as `path: problem`.
 */
export function checkCrmShape<T extends TSchema>(schema: T, value: unknown, label: string): Static<T> {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return value as Static<T>;

  const problems = describeSchemaErrors(checker.Errors(value), MAX_ERRORS);
  throw new CrmMappingError('ERR_CRM_INVALID_EVENT', `${label} is invalid (${problems.join('; ')}); fix the bridge that published it`);
}

function checkerFor(schema: TSchema): TypeCheck<TSchema> {
  let checker = checkers.get(schema);
  if (checker === undefined) {
    registerSchemaFormats();
    checker = TypeCompiler.Compile(schema);
    checkers.set(schema, checker);
  }
  return checker;
}
