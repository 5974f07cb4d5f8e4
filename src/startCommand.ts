import { parseArgs } from 'node:util';
import { ENV_NAMES, optionsFromEnv, resolveConfig, type OrdoOptions } from './config.ts';
import { createLogger } from './log.ts';
import { startQuoteToCashNode } from './quoteToCashNode.ts';

const USAGE = `Usage: ordo start [options]

Starts a node that runs the quote-to-cash workflow. Every option can also be set
through the environment variable shown; flags win over the environment.

  --nats URL            NATS server URL(s), comma-separated (${ENV_NAMES.natsUrl});
                        default: launch nats-server from ./nats.conf on --nats-port
  --nats-port N         embedded nats-server port (${ENV_NAMES.natsPort}, default 4222)
  --data-dir DIR        LMDB and embedded JetStream store (${ENV_NAMES.dataDir}, default ./.ordo)
  --http-port N         HTTP API port (${ENV_NAMES.httpPort}, default 8470)
  --http-host HOST      HTTP bind address (${ENV_NAMES.httpHost}, default 127.0.0.1)
  --node-id ID          node id (${ENV_NAMES.nodeId}, default: host name)
  --partitions P        partition count, fixed per deployment (${ENV_NAMES.partitions}, default 64)
  --replicas R          stream replicas on a JetStream cluster (${ENV_NAMES.replicas}, default 1)
  --erp-url URL         ERP API base URL (ORDO_ERP_URL, default http://127.0.0.1:8480);
                        while it cannot be reached, ERP calls retry with backoff
  --erp-token TOKEN     bearer token for the ERP API (ORDO_ERP_TOKEN)
  --api-token TOKEN     bearer token for mutating HTTP routes (${ENV_NAMES.apiToken});
                        default: none, so those routes answer on loopback only
  --log-level LEVEL     pino level (${ENV_NAMES.logLevel}, default info)
`;

/** Runs `ordo start` until SIGINT or SIGTERM. */
export async function runStartCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      nats: { type: 'string' },
      'nats-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'http-port': { type: 'string' },
      'http-host': { type: 'string' },
      'node-id': { type: 'string' },
      partitions: { type: 'string' },
      replicas: { type: 'string' },
      'erp-url': { type: 'string' },
      'erp-token': { type: 'string' },
      'api-token': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const flags: OrdoOptions = {
    natsUrl: values.nats,
    natsPort: numberFlag('--nats-port', values['nats-port']),
    dataDir: values['data-dir'],
    httpPort: numberFlag('--http-port', values['http-port']),
    httpHost: values['http-host'],
    nodeId: values['node-id'],
    partitions: numberFlag('--partitions', values.partitions),
    replicas: numberFlag('--replicas', values.replicas),
    apiToken: values['api-token'],
    logLevel: values['log-level'],
  };
  const config = resolveConfig(optionsFromEnv(), flags);
  const log = createLogger({ level: config.logLevel, nodeId: config.nodeId });

  // Listening from the start means a signal during startup still stops the embedded
  // nats-server cleanly (once started) instead of leaving it running without its parent.
  const signalled = waitForSignal();
  const running = await startQuoteToCashNode({
    config,
    log,
    erpUrl: values['erp-url'] ?? process.env.ORDO_ERP_URL,
    erpToken: values['erp-token'] ?? process.env.ORDO_ERP_TOKEN,
  });
  process.stdout.write(`Ordo node ${config.nodeId} is running. HTTP: ${running.httpUrl}  NATS: ${running.natsUrl}\nPress Ctrl-C to stop.\n`);

  await signalled;
  await running.stop();
  return 0;
}

/** Parses a numeric flag; `undefined` stays undefined so the environment or default applies. */
export function numberFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name} ${JSON.stringify(text)} is not a number; pass an integer.`);
  return value;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
