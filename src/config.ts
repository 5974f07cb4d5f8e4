import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { OrdoError } from './errors.ts';

/** Options a user may set; each one documents its default. */
export interface OrdoOptions {
  /** NATS server URL(s), comma-separated. Default: none, so `ordo start` launches nats-server from `nats.conf`. */
  natsUrl?: string;
  /** Port of the embedded nats-server. Default 4222. */
  natsPort?: number;
  /** Folder for LMDB and the embedded server's JetStream store. Default `./.ordo`. */
  dataDir?: string;
  /** HTTP port. Default 8470. */
  httpPort?: number;
  /** HTTP bind address. Default `127.0.0.1`. */
  httpHost?: string;
  /** This node's id in logs, leases and the API. Default: the host name. */
  nodeId?: string;
  /** Partition count P, fixed per deployment and recorded in JetStream. Default 64. */
  partitions?: number;
  /** Replicas of every stream and bucket (3 on a JetStream cluster). Default 1. */
  replicas?: number;
  /** JetStream duplicate window for publishes. Default 120000 (2 minutes). */
  duplicateWindowMs?: number;
  /** History rows kept per entity; older rows are pruned in the same transaction. Default 100. */
  historyLimit?: number;
  /** Message ids each entity remembers to skip repeats that outlive the duplicate window. Default 16. */
  recentIdsLimit?: number;
  /** Maximum messages of one partition applied as one batch; the consumer pulls twice as many. Default 256. */
  batchSize?: number;
  /** Restored machine snapshots cached per node (memory stays bounded). Default 10000. */
  snapshotCacheSize?: number;
  /** Interval between looks for due timers, in milliseconds. Default 200. */
  timerPollMs?: number;
  /** Bearer token for mutating HTTP routes. Default: none, so those routes are served to loopback clients only. */
  apiToken?: string;
  /** pino log level. Default `info`. */
  logLevel?: string;
}

export type OrdoConfig = Readonly<Required<Omit<OrdoOptions, 'natsUrl' | 'apiToken'>> & Pick<OrdoOptions, 'natsUrl' | 'apiToken'>>;

export const DEFAULTS = {
  natsPort: 4222,
  dataDir: '.ordo',
  httpPort: 8470,
  httpHost: '127.0.0.1',
  partitions: 64,
  replicas: 1,
  duplicateWindowMs: 120_000,
  historyLimit: 100,
  recentIdsLimit: 16,
  batchSize: 256,
  snapshotCacheSize: 10_000,
  timerPollMs: 200,
  logLevel: 'info',
} as const;

/** Environment variable for each option. */
export const ENV_NAMES: Record<keyof OrdoOptions, string> = {
  natsUrl: 'ORDO_NATS_URL',
  natsPort: 'ORDO_NATS_PORT',
  dataDir: 'ORDO_DATA_DIR',
  httpPort: 'ORDO_HTTP_PORT',
  httpHost: 'ORDO_HTTP_HOST',
  nodeId: 'ORDO_NODE_ID',
  partitions: 'ORDO_PARTITIONS',
  replicas: 'ORDO_REPLICAS',
  duplicateWindowMs: 'ORDO_DUPLICATE_WINDOW_MS',
  historyLimit: 'ORDO_HISTORY_LIMIT',
  recentIdsLimit: 'ORDO_RECENT_IDS_LIMIT',
  batchSize: 'ORDO_BATCH_SIZE',
  snapshotCacheSize: 'ORDO_SNAPSHOT_CACHE_SIZE',
  timerPollMs: 'ORDO_TIMER_POLL_MS',
  apiToken: 'ORDO_API_TOKEN',
  logLevel: 'ORDO_LOG_LEVEL',
};

const NUMERIC_LIMITS: Partial<Record<keyof OrdoOptions, [number, number]>> = {
  natsPort: [0, 65535],
  httpPort: [0, 65535],
  partitions: [1, 1024],
  replicas: [1, 5],
  duplicateWindowMs: [1_000, 86_400_000],
  historyLimit: [1, 100_000],
  recentIdsLimit: [1, 10_000],
  batchSize: [1, 10_000],
  snapshotCacheSize: [1, 10_000_000],
  timerPollMs: [10, 60_000],
};

/** Reads options from the environment; values that are not set stay undefined. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): OrdoOptions {
  const options: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(ENV_NAMES)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    options[name] = name in NUMERIC_LIMITS ? parseNumber(variable, value) : value;
  }
  return options as OrdoOptions;
}

/** Merges user options over defaults, validates once and freezes the result. */
export function resolveConfig(...layers: OrdoOptions[]): OrdoConfig {
  const merged: Record<string, unknown> = { ...DEFAULTS, nodeId: hostname() };
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) {
      if (value !== undefined) merged[name] = value;
    }
  }

  for (const [name, [min, max]] of Object.entries(NUMERIC_LIMITS) as [string, [number, number]][]) {
    const value = merged[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new OrdoError('ERR_CONFIG_INVALID', `Option ${name} is ${JSON.stringify(value)}; set an integer from ${min} to ${max} (env ${ENV_NAMES[name as keyof OrdoOptions]}).`);
    }
  }
  if (typeof merged.nodeId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(merged.nodeId)) {
    throw new OrdoError('ERR_CONFIG_INVALID', `Option nodeId is ${JSON.stringify(merged.nodeId)}; use 1-64 letters, digits, '_' or '-' (env ORDO_NODE_ID).`);
  }

  merged.dataDir = resolve(String(merged.dataDir));
  return Object.freeze(merged) as OrdoConfig;
}

function parseNumber(variable: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new OrdoError('ERR_CONFIG_INVALID', `${variable}=${JSON.stringify(text)} is not a number; set it to an integer or unset it.`);
  }
  return value;
}
