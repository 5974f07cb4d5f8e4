import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Publisher } from '../src/publisher.ts';
import { STREAM } from '../src/subjects.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { spawnNodeProcess, type NodeProcess } from './support/nodeProcess.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';
import { startTestNode } from './support/testNode.ts';

const PINGS = 300;

describe('effects after a crash', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  const dirs: string[] = [];
  let child: NodeProcess | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await child?.kill();
    await nc?.close();
    await server?.stop();
    for (const dir of dirs) await removeTempDir(dir);
  });

  for (const crashPoint of ['afterCommit', 'afterEffect'] as const) {
    it(`publishes each effect once when the node dies ${crashPoint}`, async () => {
      const dataDir = await makeTempDir('ordo-effects-');
      dirs.push(dataDir);
      const env = { ORDO_NATS_URL: server.url, ORDO_DATA_DIR: dataDir };
      const prefix = `${crashPoint}-`;

      child = spawnNodeProcess({ ...env, ORDO_TEST_CRASH: crashPoint });
      await child.ready;
      const publisher = new Publisher(jetstream(nc));
      await Promise.all(
        Array.from({ length: PINGS }, (_, n) => publisher.sendToEntity({ entityType: 'ledger', key: `${prefix}${n % 20}`, event: { type: 'ping', n }, msgId: `${prefix}ping-${n}` })),
      );
      const code = await child.exited;
      expect(code, 'the crash hook must have killed the node').toBeNull();

      // The restarted node (in-process, no crash hook) resumes the outbox and reads on.
      const handle = await startTestNode(server.url, { dataDir, config: { nodeId: 'child-node' } });
      try {
        await handle.node.waitForIdle();
        const pinged = await countEvents(nc, prefix);
        expect(pinged.total).toBe(PINGS);
        expect(pinged.distinct).toBe(PINGS);
      } finally {
        await handle.stop();
      }
    });
  }
});

async function countEvents(nc: NatsConnection, keyPrefix: string): Promise<{ total: number; distinct: number }> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(STREAM.events);
  const seen = new Set<number>();
  let total = 0;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(STREAM.events, { seq }).catch(() => null);
    if (!message) continue;
    const payload = message.json<{ key: string; event: { type: string; n: number } }>();
    if (payload.event.type !== 'pinged' || !payload.key.startsWith(keyPrefix)) continue;
    total++;
    seen.add(payload.event.n);
  }
  return { total, distinct: seen.size };
}
