import { ApiError, ApiUnreachableError } from './apiClient.ts';
import { processIo, type CliIo } from './cliIo.ts';
import { DLQ_USAGE, deadLetterCommand } from './deadLetterCommands.ts';
import { ENTITY_USAGE, historyCommand, inspectCommand, listCommand, sendCommand, statsCommand } from './entityCommands.ts';
import { UsageError } from './parseCommandArgs.ts';

type Command = (argv: string[], io: CliIo) => Promise<void>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  inspect: { run: inspectCommand, usage: ENTITY_USAGE.inspect },
  history: { run: historyCommand, usage: ENTITY_USAGE.history },
  ls: { run: listCommand, usage: ENTITY_USAGE.ls },
  stats: { run: statsCommand, usage: ENTITY_USAGE.stats },
  send: { run: sendCommand, usage: ENTITY_USAGE.send },
  dlq: { run: deadLetterCommand, usage: DLQ_USAGE },
};

const COMMON_HELP = `Options for every command:
  --url URL      API base URL (default http://127.0.0.1:<ORDO_HTTP_PORT or 8470>)
  --token TOKEN  bearer token for send and dlq replay/discard (default ORDO_API_TOKEN)
  --json         print the API's JSON instead of a table
`;

/**
 * Runs one CLI command that calls a node's HTTP API and returns the exit code:
 * 0 on success, 1 on any error. Results go to stdout; errors (with the API's
 * error code) and paging hints go to stderr.
 */
export async function runApiCommand(command: string, argv: string[], io: CliIo = processIo): Promise<number> {
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr(`Unknown command ${JSON.stringify(command)}; API commands are ${Object.keys(COMMANDS).join(', ')}.\n`);
    return 1;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`Usage: ${entry.usage}\n\n${COMMON_HELP}`);
    return 0;
  }

  try {
    await entry.run(argv, io);
    return 0;
  } catch (error) {
    io.stderr(`${describeFailure(error, entry.usage)}\n`);
    return 1;
  }
}

function describeFailure(error: unknown, usage: string): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  if (error instanceof ApiUnreachableError) return error.message;
  if (error instanceof UsageError) return `${error.message}\nUsage: ${usage}`;
  throw error;
}
