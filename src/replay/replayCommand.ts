import { parseArgs } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { REPLAY_SOURCES, type ReplaySource } from './crmMessage.ts';
import { readCrmSample } from './crmSample.ts';
import { replayCrmSample } from './replayCrmSample.ts';

/** NATS URL of the embedded server that `ordo start` and `ordo demo` launch by default. */
export const DEFAULT_REPLAY_NATS_URL = 'nats://127.0.0.1:4222';

const USAGE = `Usage: ordo replay <dir> [options]

Publishes a CRM sample folder (accounts.csv, products.csv, sales_pipeline.csv) as CRM
events in time order: every account, then per opportunity a created event at its engage
date and a won or lost event at its close date. Event ids derive from the data, so a
second replay creates nothing new.

  --source generic|salesforce  CRM wire format (default generic)
  --nats URL                   NATS server URL (ORDO_NATS_URL, default ${DEFAULT_REPLAY_NATS_URL})
  --rate N                     maximum events per second (default: unlimited)
  --limit N                    replay the first N opportunities and the accounts they name
  --speed-up F                 replay the data's history F times faster than it happened,
                               with occurredAt set to the publish time (default: no pacing,
                               occurredAt keeps the historical dates)
`;

/** Runs `ordo replay <dir>` and returns the exit code. */
export async function runReplayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: 'string', default: 'generic' },
      nats: { type: 'string' },
      rate: { type: 'string' },
      limit: { type: 'string' },
      'speed-up': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`ordo replay needs one folder, got ${positionals.length} arguments.\n\n${USAGE}`);
    return 1;
  }

  const sample = readCrmSample(positionals[0]!);
  const natsUrl = values.nats ?? process.env.ORDO_NATS_URL ?? DEFAULT_REPLAY_NATS_URL;
  const nc = await connect({ servers: natsUrl.split(','), name: 'ordo-replay' });
  try {
    const result = await replayCrmSample({
      js: jetstream(nc),
      sample,
      source: replaySource(values.source),
      limit: positiveInteger('--limit', values.limit),
      ratePerSecond: positiveNumber('--rate', values.rate),
      speedUp: positiveNumber('--speed-up', values['speed-up']),
      progress: process.stderr,
    });
    const { accounts, opportunities } = result.changes;
    process.stdout.write(
      `Replayed ${result.published} CRM events (${accounts} accounts, ${opportunities} opportunities) to ${natsUrl}; ` +
        `${result.duplicates} were repeats that JetStream dropped.\n`,
    );
  } finally {
    await nc.drain();
  }
  return 0;
}

/** Checks `--source`. */
export function replaySource(text: string): ReplaySource {
  if ((REPLAY_SOURCES as readonly string[]).includes(text)) return text as ReplaySource;
  throw new Error(`--source ${JSON.stringify(text)} is not supported; use one of ${REPLAY_SOURCES.join(', ')}`);
}

/** Parses a flag that must be a positive integer; undefined stays undefined. */
export function positiveInteger(name: string, text: string | undefined): number | undefined {
  const value = positiveNumber(name, text);
  if (value !== undefined && !Number.isInteger(value)) throw new Error(`${name} ${JSON.stringify(text)} is not a whole number; pass a positive integer`);
  return value;
}

/** Parses a flag that must be a positive number; undefined stays undefined. */
export function positiveNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} ${JSON.stringify(text)} is not a positive number; pass a number above 0`);
  return value;
}
