import { parseArgs } from 'node:util';
import { DEFAULTS } from '../config.ts';

/** A command-line mistake; the CLI prints the message and the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionKind = 'string' | 'boolean';

const COMMON_OPTIONS = { url: 'string', token: 'string', json: 'boolean', help: 'boolean' } as const satisfies Record<string, OptionKind>;

export interface ParsedCommand {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  baseUrl: string;
  token: string | undefined;
  json: boolean;
  help: boolean;
}

/**
 * Parses one API command's arguments: the options every command takes (`--url`,
 * `--token`, `--json`, `--help`) plus `extra`. Unknown options are usage errors.
 */
export function parseCommandArgs(argv: string[], extra: Record<string, OptionKind>, env: NodeJS.ProcessEnv): ParsedCommand {
  const options = Object.fromEntries(Object.entries({ ...COMMON_OPTIONS, ...extra }).map(([name, type]) => [name, { type }]));
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const { values, positionals } = parsed;
  return {
    positionals,
    values,
    baseUrl: (values.url as string | undefined) ?? `http://127.0.0.1:${env.ORDO_HTTP_PORT || DEFAULTS.httpPort}`,
    token: (values.token as string | undefined) ?? (env.ORDO_API_TOKEN || undefined),
    json: values.json === true,
    help: values.help === true,
  };
}

/** Reads `--name` as a positive integer, or returns undefined when absent. */
export function positiveInteger(values: ParsedCommand['values'], name: string): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${name} ${JSON.stringify(text)} is not a positive integer.`);
  return value;
}

/** Returns the positional arguments, or throws a usage error when their count differs from `names`. */
export function requirePositionals(parsed: ParsedCommand, names: readonly string[]): string[] {
  if (parsed.positionals.length !== names.length) {
    throw new UsageError(`Expected ${names.map((name) => `<${name}>`).join(' ')}, got ${parsed.positionals.length} argument(s).`);
  }
  return parsed.positionals;
}
