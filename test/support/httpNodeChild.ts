// A node with its HTTP server in its own process, so tests can SIGKILL it while
// watching it over HTTP. Configured from ORDO_* env (ORDO_HTTP_PORT included);
// prints "ready" on stdout once both are started. Run it with spawnNodeProcess.
import { resolveConfig, optionsFromEnv } from '../../src/config.ts';
import { startHttpServer } from '../../src/http/startHttpServer.ts';
import { OrdoNode } from '../../src/ordoNode.ts';
import { TEST_ENTITIES } from './testMachines.ts';

const config = resolveConfig({ nodeId: 'child-node', partitions: 8, timerPollMs: 50 }, optionsFromEnv());
const node = await OrdoNode.start({ config, entities: TEST_ENTITIES });
const http = await startHttpServer(node);
process.stdout.write('ready\n');

const shutdown = async () => {
  await http.close();
  await node.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
