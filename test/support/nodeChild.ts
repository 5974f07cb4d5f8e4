// A node in its own process, so tests can SIGKILL it. Configured from ORDO_* env;
// prints one line "ready" on stdout once started.
import { resolveConfig, optionsFromEnv } from '../../src/config.ts';
import { OrdoNode } from '../../src/ordoNode.ts';
import { TEST_ENTITIES } from './testMachines.ts';

const config = resolveConfig({ nodeId: 'child-node', partitions: 8, timerPollMs: 50 }, optionsFromEnv());
const node = await OrdoNode.start({ config, entities: TEST_ENTITIES });
installCrashHook(node, process.env.ORDO_TEST_CRASH);
process.stdout.write('ready\n');

const shutdown = async () => {
  await node.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

/**
 * Test-only crash points: `afterCommit` dies right after the first commit that
 * queued effects, before any runs; `afterEffect` dies as soon as the first
 * outbound event is published, before the outbox entry is removed.
 */
function installCrashHook(target: OrdoNode, point: string | undefined): void {
  if (point === 'afterCommit') {
    target.events.on('batchCommitted', () => {
      if (target.executor.inFlight > 0) process.kill(process.pid, 'SIGKILL');
    });
  } else if (point === 'afterEffect') {
    target.nc.subscribe('ordo.events.>', {
      callback: () => {
        process.kill(process.pid, 'SIGKILL');
      },
    });
  }
}
