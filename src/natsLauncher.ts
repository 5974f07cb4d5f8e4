import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface NatsClusterOptions {
  /** Cluster name, the same on every node. */
  name: string;
  /** Port this node listens on for routes from the other nodes. */
  port: number;
  /** Route URLs of the other nodes, such as `nats://127.0.0.1:6223`. */
  routes: string[];
}

export interface LaunchNatsServerOptions {
  /** Path of the nats-server executable (see findNatsServer). */
  binary: string;
  /** Configuration file, such as the repository's nats.conf. Command-line flags override it. */
  configFile?: string;
  /** Client port. 0 or undefined picks a free port on `host`. */
  port?: number;
  /** Bind address for clients and routes. Default 127.0.0.1. */
  host?: string;
  /** JetStream store directory (`-sd`). The server creates `jetstream/` inside it. */
  storeDir: string;
  /**
   * Server name (`-n`). JetStream in clustered mode needs a name that is unique per node and
   * stable across restarts. Default: `<cluster name>-<cluster port>` for a cluster node,
   * otherwise `ordo-<random>`.
   */
  serverName?: string;
  cluster?: NatsClusterOptions;
  /** File that receives a copy of the server's log (its stderr), appended to. */
  logFile?: string;
  /** How long to wait for the server to accept clients. Default 15,000 ms. */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before it sends SIGKILL. Default 10,000 ms. */
  stopGraceMs?: number;
}

export interface LaunchedNatsServer {
  /** Client URL, such as `nats://127.0.0.1:4222`. */
  url: string;
  port: number;
  pid: number;
  serverName: string;
  /** Sends SIGTERM, then SIGKILL when the server has not exited after the grace period. */
  stop(): Promise<void>;
  /** Sends SIGKILL, as a crash would, and waits for the process to exit. */
  kill(): Promise<void>;
  /**
   * Resolves with the exit code, or null when a signal ended the process. Never rejects.
   * After a clean shutdown on SIGTERM, nats-server 2.15.1 exits with 0 but 2.10.27 with 1.
   */
  exited: Promise<number | null>;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_READY_TIMEOUT_MS = 15_000;
const DEFAULT_STOP_GRACE_MS = 10_000;
const READY_POLL_INTERVAL_MS = 25;
const STDERR_TAIL_BYTES = 8_192;
const STDERR_TAIL_LINES = 25;
const AUTO_PORT_ATTEMPTS = 3;

/**
 * Starts nats-server with JetStream and resolves once it accepts client connections.
 *
 * Readiness is a TCP connection to the client port that receives the server's INFO line
 * with the expected server name. nats-server opens the client listener only after JetStream
 * has recovered its store, so a single node can serve JetStream requests from then on. The
 * name check makes sure the INFO came from this server and not from another process holding
 * the port. Unlike polling /healthz, this needs no monitoring port. A cluster node is ready before the cluster has elected a
 * JetStream meta leader, so callers that need one wait for it with a client.
 *
 * Rejects with the tail of the server's stderr when it exits early or times out. With an
 * automatically picked port, a bind conflict ("address already in use") is retried on a new
 * port.
 */
export async function launchNatsServer(options: LaunchNatsServerOptions): Promise<LaunchedNatsServer> {
  const host = options.host ?? DEFAULT_HOST;
  validatePort(options.port);

  const autoPort = !options.port;
  const attempts = autoPort ? AUTO_PORT_ATTEMPTS : 1;

  for (let attempt = 1; ; attempt += 1) {
    const port = autoPort ? await pickFreePort(host) : (options.port as number);
    try {
      return await launchOnPort(options, host, port);
    } catch (error) {
      const bindConflict = error instanceof Error && /address already in use/i.test(error.message);
      if (!bindConflict || attempt >= attempts) {
        throw error;
      }
    }
  }
}

async function launchOnPort(options: LaunchNatsServerOptions, host: string, port: number): Promise<LaunchedNatsServer> {
  const serverName = options.serverName ?? defaultServerName(options.cluster);
  const args = buildArguments(options, host, port, serverName);
  const logFile = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;

  const child: ChildWithSpawnError = spawn(options.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = captureStderr(child, logFile);
  const exited = waitForExit(child, logFile);
  const stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;

  const describe = `nats-server ${options.binary} (${serverName} on ${host}:${port})`;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const polling = new AbortController();
  const outcome = await Promise.race([
    waitUntilAccepting(host, port, serverName, readyTimeoutMs, polling.signal),
    exited.then(() => 'exited' as const),
  ]);
  polling.abort();

  if (outcome === 'exited') {
    const reason = child.spawnError
      ? `could not be started: ${child.spawnError.message}`
      : `exited with ${describeExit(child)} before accepting connections`;
    // The server's banner buries the cause on its last line; a busy port is the usual one.
    const portHint = /address already in use/i.test(stderr.tail())
      ? ` Port ${port} on ${host} is already in use (another ordo start or demo?): stop that process, choose another port (--nats-port), or connect to the running server with --nats nats://${host}:${port}.`
      : '';
    throw new Error(`${describe} ${reason}.${portHint} ${stderrReport(stderr.tail())}`);
  }

  if (outcome === 'timeout') {
    signalIfRunning(child, 'SIGKILL');
    await exited;
    throw new Error(
      `${describe} did not accept connections within ${readyTimeoutMs} ms and was killed. ` +
        `Raise readyTimeoutMs if its JetStream store is large. ${stderrReport(stderr.tail())}`,
    );
  }

  return {
    url: `nats://${formatHost(host)}:${port}`,
    port,
    pid: child.pid as number,
    serverName,
    exited,
    stop: () => stopProcess(child, exited, stopGraceMs),
    kill: async () => {
      signalIfRunning(child, 'SIGKILL');
      await exited;
    },
  };
}

function buildArguments(options: LaunchNatsServerOptions, host: string, port: number, serverName: string): string[] {
  const args: string[] = [];

  if (options.configFile) {
    args.push('-c', resolve(options.configFile));
  }
  args.push('-a', host, '-p', String(port), '-n', serverName, '-js', '-sd', resolve(options.storeDir));

  if (options.cluster) {
    const { name, port: clusterPort, routes } = options.cluster;
    validatePort(clusterPort);
    args.push('--cluster', `nats://${formatHost(host)}:${clusterPort}`, '--cluster_name', name);
    if (routes.length > 0) {
      args.push('--routes', routes.join(','));
    }
  }

  return args;
}

function defaultServerName(cluster: NatsClusterOptions | undefined): string {
  if (cluster) {
    return `${cluster.name}-${cluster.port}`;
  }
  return `ordo-${randomBytes(4).toString('hex')}`;
}

function validatePort(port: number | undefined): void {
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new Error(`Invalid port ${String(port)}: expected an integer from 0 to 65535 (0 picks a free port).`);
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

type ChildWithSpawnError = ChildProcess & { spawnError?: Error };

function waitForExit(child: ChildWithSpawnError, logFile: WriteStream | undefined): Promise<number | null> {
  return new Promise((resolveExit) => {
    const finish = (code: number | null) => {
      logFile?.end();
      resolveExit(code);
    };

    // 'close' fires after stderr is drained, so the captured tail is complete by then.
    child.once('close', (code) => finish(code));
    child.once('error', (error) => {
      child.spawnError = error;
      if (child.pid === undefined) {
        finish(null);
      }
    });
  });
}

function captureStderr(child: ChildProcess, logFile: WriteStream | undefined): { tail(): string } {
  let buffered = '';

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    logFile?.write(chunk);
    buffered = (buffered + chunk).slice(-STDERR_TAIL_BYTES);
  });

  return {
    tail: () => buffered.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n'),
  };
}

function stderrReport(tail: string): string {
  return tail ? `Last lines of its stderr:\n${tail}` : 'It wrote nothing to stderr.';
}

function describeExit(child: ChildProcess): string {
  if (child.signalCode) {
    return `signal ${child.signalCode}`;
  }
  return `code ${String(child.exitCode)}`;
}

async function waitUntilAccepting(
  host: string,
  port: number,
  serverName: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<'ready' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline && !signal.aborted) {
    const info = await readInfo(host, port, Math.max(1, Math.min(1_000, deadline - Date.now())));
    if (info?.server_name === serverName) {
      return 'ready';
    }
    await sleep(READY_POLL_INTERVAL_MS);
  }
  return 'timeout';
}

/** Connects, reads the INFO line a NATS server sends first and parses its JSON. */
function readInfo(host: string, port: number, timeoutMs: number): Promise<{ server_name?: string } | undefined> {
  return new Promise((resolveInfo) => {
    let received = '';
    const socket: Socket = connect({ host, port });

    const finish = (info: { server_name?: string } | undefined) => {
      socket.destroy();
      resolveInfo(info);
    };

    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const lineEnd = received.indexOf('\r\n');
      if (lineEnd < 0) {
        return;
      }
      const match = /^INFO\s+(\{.*\})\s*$/.exec(received.slice(0, lineEnd));
      try {
        finish(match ? JSON.parse(match[1]) : undefined);
      } catch {
        finish(undefined);
      }
    });
  });
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (!signalIfRunning(child, 'SIGTERM')) {
    await exited;
    return;
  }

  const outcome = await Promise.race([exited.then(() => 'exited' as const), sleep(graceMs, 'timeout' as const)]);
  if (outcome === 'timeout') {
    signalIfRunning(child, 'SIGKILL');
  }
  await exited;
}

/** Sends a signal unless the process has already exited; returns whether it was sent. */
function signalIfRunning(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.exitCode !== null || child.signalCode !== null) {
    return false;
  }
  return child.kill(signal);
}

/**
 * Returns a port that was free on `host` a moment ago. Another process may take it before
 * the server binds it, which launchNatsServer detects and retries.
 */
async function pickFreePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
