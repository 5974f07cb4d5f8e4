import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { findNatsServer, type NatsServerSeries } from '../../src/natsBinary.ts';
import { launchNatsServer, type LaunchedNatsServer } from '../../src/natsLauncher.ts';
import { freePorts } from './freePort.ts';
import { makeTempDir, removeTempDir } from './tempDir.ts';

// Real nats-server processes for tests. Each call starts its own servers on free loopback
// ports, with JetStream stores in a fresh temp folder. stop() ends the processes and deletes
// the folder. Nothing is registered globally, so call stop() in afterAll (or afterEach).
//
// Test servers run without the repository's nats.conf unless a test passes it, so JetStream
// keeps its default sync_interval (fsync every 2 minutes) and tests run faster. The sync
// interval only decides when written data is fsynced. Data the server has written to its
// files survives a SIGKILL in the operating system's page cache, so kill() still tests crash
// recovery; only a power failure or an OS crash would need the fsync.

export interface StartNatsOptions {
  /** Release line of the binary, default `latest`. See hasNatsServer for optional series. */
  series?: NatsServerSeries;
  /** Configuration file passed with -c, such as the repository's nats.conf. Default none. */
  configFile?: string;
}

export interface TestNatsServer {
  /** Client URL, the same across restart(). */
  url: string;
  /** The same URL in a list, for code that takes several. */
  urls: string[];
  port: number;
  /** Version of the binary, such as `2.15.1`. */
  version: string;
  storeDir: string;
  /** The running process, replaced by restart(). */
  readonly process: LaunchedNatsServer;
  /** Sends SIGKILL, as a crash would, and keeps the store for restart(). */
  kill(): Promise<void>;
  /** Starts the server again on the same port and store, stopping it first if it runs. */
  restart(): Promise<void>;
  /** Stops the server (SIGTERM, then SIGKILL) and deletes its temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface TestNatsNode {
  url: string;
  port: number;
  clusterPort: number;
  serverName: string;
  storeDir: string;
}

export interface TestNatsCluster {
  /** Client URLs of all nodes, in node order. */
  urls: string[];
  /** The URLs joined with commas. */
  url: string;
  version: string;
  nodes: TestNatsNode[];
  /** Sends SIGKILL to node `index`, as a crash would, and keeps its store for restart(). */
  kill(index: number): Promise<void>;
  /** Stops node `index` gracefully and keeps its store for restart(). */
  stopNode(index: number): Promise<void>;
  /** Starts node `index` again with the same ports and store, and waits until it serves JetStream. */
  restart(index: number): Promise<void>;
  /** Stops every node and deletes the cluster's temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

const JETSTREAM_READY_TIMEOUT_MS = 30_000;

/** Returns whether a nats-server of this series can be found, so tests can skip a series that is not provisioned. */
export async function hasNatsServer(series: NatsServerSeries): Promise<boolean> {
  try {
    await findNatsServer({ series });
    return true;
  } catch {
    return false;
  }
}

/** Starts one nats-server with JetStream on a free loopback port. */
export async function startNatsServer(options: StartNatsOptions = {}): Promise<TestNatsServer> {
  const binary = await findNatsServer({ series: options.series });
  const root = await makeTempDir('nats');
  const storeDir = join(root, 'store');
  const serverName = `ordo-test-${randomBytes(4).toString('hex')}`;

  const launch = (port: number | undefined) =>
    launchNatsServer({ binary: binary.path, configFile: options.configFile, port, storeDir, serverName });

  let current: LaunchedNatsServer;
  try {
    current = await launch(undefined);
  } catch (error) {
    await removeTempDir(root);
    throw error;
  }

  let stopped = false;
  return {
    url: current.url,
    urls: [current.url],
    port: current.port,
    version: binary.version,
    storeDir,
    get process() {
      return current;
    },
    kill: () => current.kill(),
    restart: async () => {
      await current.stop();
      current = await launch(current.port);
    },
    stop: async () => {
      if (stopped) {
        return;
      }
      stopped = true;
      await current.stop();
      await removeTempDir(root);
    },
  };
}

/**
 * Starts `size` nats-server nodes routed into one cluster with clustered JetStream, and
 * waits until every node can reach a JetStream meta leader.
 */
export async function startNatsCluster(size = 3, options: StartNatsOptions = {}): Promise<TestNatsCluster> {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`Invalid cluster size ${size}: expected a positive integer.`);
  }

  const binary = await findNatsServer({ series: options.series });
  const root = await makeTempDir('nats-cluster');
  const clusterName = `ordo-test-${randomBytes(4).toString('hex')}`;
  const ports = await freePorts(size * 2);

  const nodes: TestNatsNode[] = Array.from({ length: size }, (_, index) => ({
    url: `nats://127.0.0.1:${ports[index]}`,
    port: ports[index],
    clusterPort: ports[size + index],
    serverName: `${clusterName}-n${index}`,
    storeDir: join(root, `node-${index}`),
  }));
  const processes: (LaunchedNatsServer | undefined)[] = new Array(size).fill(undefined);

  const launchNode = async (index: number) => {
    const node = nodes[index];
    processes[index] = await launchNatsServer({
      binary: binary.path,
      configFile: options.configFile,
      port: node.port,
      storeDir: node.storeDir,
      serverName: node.serverName,
      cluster: {
        name: clusterName,
        port: node.clusterPort,
        routes: nodes.filter((other) => other !== node).map((other) => `nats://127.0.0.1:${other.clusterPort}`),
      },
    });
  };

  const stopAll = async () => {
    await Promise.all(processes.map((launched) => launched?.stop()));
  };

  try {
    await Promise.all(nodes.map((_, index) => launchNode(index)));
    await Promise.all(nodes.map((node) => waitForJetStream(node.url)));
    if (size > 1) await waitForPlacement(nodes.map((node) => node.url), size);
  } catch (error) {
    await stopAll();
    await removeTempDir(root);
    throw error;
  }

  const nodeProcess = (index: number): LaunchedNatsServer | undefined => {
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new Error(`Invalid node index ${index}: the cluster has nodes 0 to ${size - 1}.`);
    }
    return processes[index];
  };

  let stopped = false;
  return {
    urls: nodes.map((node) => node.url),
    url: nodes.map((node) => node.url).join(','),
    version: binary.version,
    nodes,
    kill: async (index) => {
      await nodeProcess(index)?.kill();
    },
    stopNode: async (index) => {
      await nodeProcess(index)?.stop();
    },
    restart: async (index) => {
      await nodeProcess(index)?.stop();
      await launchNode(index);
      await waitForJetStream(nodes[index].url);
    },
    stop: async () => {
      if (stopped) {
        return;
      }
      stopped = true;
      await stopAll();
      await removeTempDir(root);
    },
  };
}

/**
 * Waits until JetStream responds to an account info request through the server at `url`. In a
 * cluster that succeeds only once a meta leader has been elected, which takes a few seconds
 * after the nodes start.
 */
export async function waitForJetStream(url: string, timeoutMs = JETSTREAM_READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const connection = await connect({ servers: url, timeout: timeoutMs });
  let lastError: unknown;

  try {
    const manager = await jetstreamManager(connection, { checkAPI: false, timeout: 2_000 });
    while (Date.now() < deadline) {
      try {
        await manager.getAccountInfo();
        return;
      } catch (error) {
        lastError = error;
        await sleep(100);
      }
    }
  } finally {
    await connection.close();
  }

  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`JetStream at ${url} did not respond to account info requests within ${timeoutMs} ms (last error: ${reason}). Check the server logs for a failed meta leader election.`);
}

/**
 * Waits until the cluster can place a stream with `replicas` replicas. A meta leader can
 * answer account info before every peer has reported in, and then creating a replicated
 * stream fails with "no suitable peers for placement"; a probe stream shows when it works.
 */
async function waitForPlacement(urls: string[], replicas: number, timeoutMs = JETSTREAM_READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const connection = await connect({ servers: urls, timeout: timeoutMs });
  let lastError: unknown;

  try {
    const manager = await jetstreamManager(connection, { timeout: 5_000 });
    while (Date.now() < deadline) {
      try {
        await manager.streams.add({ name: 'PLACEMENT_PROBE', subjects: ['placement.probe'], num_replicas: replicas });
        await manager.streams.delete('PLACEMENT_PROBE');
        return;
      } catch (error) {
        lastError = error;
        await sleep(200);
      }
    }
  } finally {
    await connection.close();
  }

  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`The cluster at ${urls.join(',')} could not place an R${replicas} stream within ${timeoutMs} ms (last error: ${reason}).`);
}
