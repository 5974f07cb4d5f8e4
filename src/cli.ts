import { isOrdoError } from './errors.ts';

const USAGE = `Usage: ordo <command> [options]

Run a node and the demo:
  start                 start a node (embedded nats-server unless --nats URL is given)
  demo                  replay the bundled CRM sample through a node and the ERP simulator, then report
  replay <dir>          publish a CRM sample folder as CRM events
  erp-sim               run the ERP simulator

Inspect and operate a running node (over HTTP, --url, default http://127.0.0.1:8470):
  inspect <type> <key>  show an entity
  history <type> <key>  show an entity's transitions
  ls <type>             list entities (--state S, --older-than 15m)
  stats <type>          count entities by state
  dlq ls|show|replay|discard
  send <type> <key> <event>

Run "ordo <command> --help" for a command's options.
`;

const API_COMMANDS = new Set(['inspect', 'history', 'ls', 'stats', 'dlq', 'send']);

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    }
    if (command === 'start') return await (await import('./startCommand.ts')).runStartCommand(rest);
    if (command === 'demo') return await (await import('./demo/demoCommand.ts')).runDemoCommand(rest);
    if (command === 'replay') return await (await import('./replay/replayCommand.ts')).runReplayCommand(rest);
    if (command === 'erp-sim') {
      await (await import('./erp/simulator/runErpSimulator.ts')).runErpSimulator(rest);
      return 0;
    }
    if (API_COMMANDS.has(command)) return await (await import('./cli/apiCommands.ts')).runApiCommand(command, rest);

    process.stderr.write(`Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
    return 1;
  } catch (error) {
    process.stderr.write(`ordo ${command}: ${describeError(error)}\n`);
    if ((error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') process.stderr.write(`Run "ordo ${command} --help" for its options.\n`);
    return 1;
  }
}

function describeError(error: unknown): string {
  if (isOrdoError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
