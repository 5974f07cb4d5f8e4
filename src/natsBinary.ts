import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Oldest nats-server Ordo supports: 2.10.20 to 2.10.22 could lose whole JetStream streams
 * on a crash, which 2.10.23 fixed.
 */
export const MIN_NATS_SERVER_VERSION = '2.10.23';

/** Release line to look for: `latest` accepts any supported version, `2.10` only 2.10.x. */
export type NatsServerSeries = 'latest' | '2.10';

export interface FindNatsServerOptions {
  /** Default `latest`. */
  series?: NatsServerSeries;
  /** Folder containing `.tools/`. Default: this repository's root. */
  projectRoot?: string;
  /** Environment to read `ORDO_NATS_SERVER` and `PATH` from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface NatsServerBinary {
  path: string;
  /** `x.y.z` as printed by `nats-server --version`. */
  version: string;
}

const SETUP_HINT =
  'Run `bash scripts/setup.sh` to provision one into .tools/, or set ORDO_NATS_SERVER=/path/to/nats-server ' +
  `(version ${MIN_NATS_SERVER_VERSION} or newer).`;

const defaultProjectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Extracts `x.y.z` from `nats-server --version` output ("nats-server: v2.10.27"), or from a
 * bare version string. Returns undefined when the text contains no version.
 */
export function parseNatsVersion(text: string): string | undefined {
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) {
    return undefined;
  }
  return `${Number(match[1])}.${Number(match[2])}.${Number(match[3])}`;
}

/** Compares two `x.y.z` versions numerically: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const left = versionParts(a);
  const right = versionParts(b);

  for (let i = 0; i < 3; i += 1) {
    const difference = left[i] - right[i];
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

function versionParts(version: string): [number, number, number] {
  const parsed = parseNatsVersion(version);
  if (parsed === undefined) {
    throw new Error(`Invalid version '${version}': expected x.y.z, for example ${MIN_NATS_SERVER_VERSION}.`);
  }
  const [major, minor, patch] = parsed.split('.').map(Number);
  return [major, minor, patch];
}

/**
 * Finds a supported nats-server without installing anything. Looks in `ORDO_NATS_SERVER`,
 * then `nats-server` on the PATH, then `<projectRoot>/.tools/nats-server/<series>/nats-server`,
 * the same order as scripts/provision-nats.sh.
 *
 * `ORDO_NATS_SERVER` is an explicit choice, so a missing, unreadable or too old binary there
 * throws at once. A PATH or .tools binary that is too old, or outside the requested series,
 * is skipped. Throws an Error listing every place searched when nothing fits.
 */
export async function findNatsServer(options: FindNatsServerOptions = {}): Promise<NatsServerBinary> {
  const series = options.series ?? 'latest';
  const env = options.env ?? process.env;
  const projectRoot = options.projectRoot ?? defaultProjectRoot;
  const searched: string[] = [];

  const explicit = env.ORDO_NATS_SERVER;
  if (explicit) {
    const found = await checkExplicitBinary(explicit, series, searched);
    if (found) {
      return found;
    }
  } else {
    searched.push('ORDO_NATS_SERVER: not set');
  }

  const onPath = await findOnPath(env.PATH ?? '');
  if (onPath) {
    const found = await checkCandidate(onPath, 'PATH', series, searched);
    if (found) {
      return found;
    }
  } else {
    searched.push('PATH: no nats-server');
  }

  const tools = join(projectRoot, '.tools', 'nats-server', series, 'nats-server');
  if (await isExecutableFile(tools)) {
    const found = await checkCandidate(tools, '.tools', series, searched);
    if (found) {
      return found;
    }
  } else {
    searched.push(`.tools: ${tools} does not exist`);
  }

  throw new Error(
    `No usable nats-server (${series} series, ${MIN_NATS_SERVER_VERSION} or newer) found. Searched:\n` +
      searched.map((line) => `  - ${line}`).join('\n') +
      `\n${SETUP_HINT}`,
  );
}

async function checkExplicitBinary(
  path: string,
  series: NatsServerSeries,
  searched: string[],
): Promise<NatsServerBinary | undefined> {
  if (!(await isExecutableFile(path))) {
    throw new Error(
      `ORDO_NATS_SERVER='${path}' is not an executable file. ` +
        `Point it at nats-server ${MIN_NATS_SERVER_VERSION} or newer, or unset it and run \`bash scripts/setup.sh\`.`,
    );
  }

  const version = await readVersion(path);
  if (version === undefined || compareVersions(version, MIN_NATS_SERVER_VERSION) < 0) {
    throw new Error(
      `ORDO_NATS_SERVER='${path}' is nats-server ${version ?? '(no version printed by --version)'}, ` +
        `older than the minimum ${MIN_NATS_SERVER_VERSION}. ` +
        'Point it at a newer binary, or unset it and run `bash scripts/setup.sh`.',
    );
  }

  return checkCandidate(path, 'ORDO_NATS_SERVER', series, searched, version);
}

async function checkCandidate(
  path: string,
  origin: string,
  series: NatsServerSeries,
  searched: string[],
  knownVersion?: string,
): Promise<NatsServerBinary | undefined> {
  const version = knownVersion ?? (await readVersion(path));

  if (version === undefined) {
    searched.push(`${origin}: ${path} printed no version for --version`);
    return undefined;
  }
  if (compareVersions(version, MIN_NATS_SERVER_VERSION) < 0) {
    searched.push(`${origin}: ${path} is version ${version}, older than the minimum ${MIN_NATS_SERVER_VERSION}`);
    return undefined;
  }
  if (series !== 'latest' && !version.startsWith(`${series}.`)) {
    searched.push(`${origin}: ${path} is version ${version}, not in the requested ${series} series`);
    return undefined;
  }

  return { path, version };
}

async function readVersion(path: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await execFileAsync(path, ['--version'], { timeout: 10_000 });
    return parseNatsVersion(`${stdout}\n${stderr}`);
  } catch {
    // A binary that cannot run (wrong architecture, crash) counts as one without a version.
    return undefined;
  }
}

async function findOnPath(pathVariable: string): Promise<string | undefined> {
  for (const folder of pathVariable.split(delimiter)) {
    if (folder === '') {
      continue;
    }
    const candidate = join(folder, 'nats-server');
    if (await isExecutableFile(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    await access(path, constants.X_OK);
    return info.isFile();
  } catch {
    return false;
  }
}
