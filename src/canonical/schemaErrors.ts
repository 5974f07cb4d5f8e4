import type { TSchema } from '@sinclair/typebox';
import { Errors, type ValueError } from '@sinclair/typebox/errors';

const MAX_VALUE_CHARS = 80;

/**
 * Turns TypeBox validation errors into `path: problem, got value` lines, at most one per
 * path and at most `max` in all. A failed union of literals lists its allowed values, and
 * a failed nullable field reports the problem inside its value (for example
 * `/amount/currency`) instead of TypeBox's bare "Expected union value".
 */
export function describeSchemaErrors(errors: Iterable<ValueError>, max: number): string[] {
  const lines = new Map<string, string>();
  for (const error of errors) {
    for (const [path, line] of describeError(error, error.path)) {
      if (!lines.has(path)) lines.set(path, line);
    }
    if (lines.size >= max) break;
  }
  return [...lines.values()].slice(0, max);
}

/** Shortens a value to quote it in an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';

  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...` : text;
}

function describeError(error: ValueError, path: string): Array<[string, string]> {
  const shownPath = path === '' ? '/' : path;
  const choices = literalChoices(error.schema);
  if (choices !== undefined) {
    return [[shownPath, `${shownPath}: expected one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}, got ${describeValue(error.value)}`]];
  }

  const inner = nonNullMember(error.schema);
  if (inner !== undefined && error.value !== null) {
    const nested = [...Errors(inner, error.value)].flatMap((innerError) => describeError(innerError, path + innerError.path));
    if (nested.length > 0) return nested;
  }
  return [[shownPath, `${shownPath}: ${error.message}, got ${describeValue(error.value)}`]];
}

function literalChoices(schema: TSchema): unknown[] | undefined {
  if (schema.const !== undefined) return [schema.const];
  if (schema.type === 'null') return [null];
  if (!Array.isArray(schema.anyOf)) return undefined;

  const choices: unknown[] = [];
  for (const member of schema.anyOf as TSchema[]) {
    const memberChoices = literalChoices(member);
    if (memberChoices === undefined) return undefined;
    choices.push(...memberChoices);
  }
  return choices;
}

// The one member of a `[schema, null]` union, which is how nullable fields are built.
function nonNullMember(schema: TSchema): TSchema | undefined {
  if (!Array.isArray(schema.anyOf)) return undefined;

  const members = (schema.anyOf as TSchema[]).filter((member) => member.type !== 'null');
  return members.length === 1 && members.length < schema.anyOf.length ? members[0] : undefined;
}
