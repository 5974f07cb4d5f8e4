import { chmod, writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type PubAck } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findNatsServer, type NatsServerSeries } from '../src/natsBinary.ts';
import { launchNatsServer, type LaunchedNatsServer } from '../src/natsLauncher.ts';
import { hasNatsServer, startNatsCluster, type TestNatsCluster } from './support/natsServer.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

const repoConfig = fileURLToPath(new URL('../nats.conf', import.meta.url));

// The 2.10 series is provisioned by CI but optional elsewhere.
const seriesToTest: NatsServerSeries[] = (await hasNatsServer('2.10')) ? ['latest', '2.10'] : ['latest'];

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function publishAndRead(connection: NatsConnection, stream: string, replicas = 1): Promise<string | undefined> {
  const manager = await jetstreamManager(connection);
  await manager.streams.add({ name: stream, subjects: [`${stream}.>`], num_replicas: replicas });

  const ack = await jetstream(connection).publish(`${stream}.greeting`, 'hello');
  const stored = await manager.streams.getMessage(stream, { seq: ack.seq });
  return stored?.string();
}

describe.each(seriesToTest)('launchNatsServer with the %s series', (series) => {
  let scratch: string;
  let binary: string;
  const launched: LaunchedNatsServer[] = [];
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    scratch = await makeTempDir('launcher');
    binary = (await findNatsServer({ series })).path;
  });

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    await Promise.all(launched.splice(0).map((server) => server.kill()));
  });

  afterAll(async () => {
    await removeTempDir(scratch);
  });

  async function launch(storeName: string): Promise<LaunchedNatsServer> {
    const server = await launchNatsServer({ binary, configFile: repoConfig, storeDir: join(scratch, storeName) });
    launched.push(server);
    return server;
  }

  async function connectTo(server: LaunchedNatsServer): Promise<NatsConnection> {
    const connection = await connect({ servers: server.url, reconnect: false });
    connections.push(connection);
    return connection;
  }

  it('serves JetStream with the repository config', async () => {
    const server = await launch('single');
    const connection = await connectTo(server);

    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(connection.info?.host).toBe('127.0.0.1');
    expect(connection.info?.max_payload).toBe(1_048_576);
    expect(await publishAndRead(connection, 'SINGLE')).toBe('hello');
  });

  it('stop ends the process and frees the port', async () => {
    const server = await launch('stop');

    await server.stop();

    // A clean shutdown on SIGTERM exits with 0 on 2.15.x but 1 on 2.10.x; null would mean SIGKILL.
    expect([0, 1]).toContain(await server.exited);
    expect(isRunning(server.pid)).toBe(false);
    expect(await acceptsConnections(server.port)).toBe(false);
  });

  it('kill ends the process and keeps the store', async () => {
    const first = await launch('kill');
    const connection = await connectTo(first);
    expect(await publishAndRead(connection, 'KILLED')).toBe('hello');
    await connection.close();

    await first.kill();

    expect(await first.exited).toBeNull();
    expect(isRunning(first.pid)).toBe(false);

    const second = await launch('kill');
    const manager = await jetstreamManager(await connectTo(second));
    const stored = await manager.streams.getMessage('KILLED', { seq: 1 });
    expect(stored?.string()).toBe('hello');
  });
});

describe('launchNatsServer failures', () => {
  let scratch: string;
  let binary: string;

  beforeAll(async () => {
    scratch = await makeTempDir('launcher-failures');
    binary = (await findNatsServer()).path;
  });

  afterAll(async () => {
    await removeTempDir(scratch);
  });

  it('reports stderr of a server rejecting its config', async () => {
    const badConfig = join(scratch, 'bad.conf');
    await writeFile(badConfig, 'jetstream {\n  sync_interval: "not a duration"\n}\n');

    const launch = launchNatsServer({ binary, configFile: badConfig, storeDir: join(scratch, 'bad') });

    await expect(launch).rejects.toThrow(/exited with code 1 before accepting connections/);
    await expect(launch).rejects.toThrow(/Last lines of its stderr:\n.*bad\.conf/);
  });

  it('reports a binary that does not exist', async () => {
    const missing = join(scratch, 'no-such-nats-server');

    const launch = launchNatsServer({ binary: missing, storeDir: join(scratch, 'missing') });

    await expect(launch).rejects.toThrow(/could not be started: spawn .*no-such-nats-server ENOENT/);
  });

  it('kills a server that is not ready in time', async () => {
    const silent = join(scratch, 'silent-server');
    await writeFile(silent, '#!/bin/sh\necho "starting slowly" >&2\nexec sleep 30\n');
    await chmod(silent, 0o755);

    const started = Date.now();
    const launch = launchNatsServer({ binary: silent, storeDir: join(scratch, 'silent'), readyTimeoutMs: 300 });

    await expect(launch).rejects.toThrow(/did not accept connections within 300 ms and was killed/);
    await expect(launch).rejects.toThrow(/starting slowly/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

// A publish can time out while the stream elects a new leader, so it is retried with the
// same message id, which makes the retry of a publish that did get stored a duplicate.
async function publishWithRetry(connection: NatsConnection, subject: string, data: string): Promise<PubAck> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await jetstream(connection).publish(subject, data, { msgID: subject, timeout: 2_000 });
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
    }
  }
}

describe('startNatsCluster', () => {
  let cluster: TestNatsCluster;
  let connection: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    connection = await connect({ servers: cluster.urls });
  });

  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
  });

  it('forms a cluster that serves an R3 stream', async () => {
    expect(await publishAndRead(connection, 'REPLICATED', 3)).toBe('hello');

    const info = await (await jetstreamManager(connection)).streams.info('REPLICATED');
    const members = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((replica) => replica.name)];
    expect(members.sort()).toEqual(cluster.nodes.map((node) => node.serverName).sort());
  });

  it('keeps serving after a node is killed and restarted', async () => {
    await cluster.kill(2);

    const whileDown = await publishWithRetry(connection, 'REPLICATED.during-outage', 'still up');
    await cluster.restart(2);
    const afterRestart = await publishWithRetry(connection, 'REPLICATED.after-restart', 'back');

    expect(afterRestart.seq).toBe(whileDown.seq + 1);
    expect(await acceptsConnections(cluster.nodes[2].port)).toBe(true);
  });
});
