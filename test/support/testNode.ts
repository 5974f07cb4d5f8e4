import { join } from 'node:path';
import { resolveConfig, type OrdoOptions } from '../../src/config.ts';
import type { EntityDefinition } from '../../src/entityDefinition.ts';
import { OrdoNode, type OrdoNodeOptions } from '../../src/ordoNode.ts';
import { makeTempDir, removeTempDir } from './tempDir.ts';
import { TEST_ENTITIES } from './testMachines.ts';

export interface TestNodeHandle {
  node: OrdoNode;
  dataDir: string;
  /** Stops the node and keeps its data folder (for restarts). */
  stop(): Promise<void>;
  /** Stops the node and removes its data folder. */
  dispose(): Promise<void>;
}

/** Starts a node against `natsUrl` with a fresh temp data folder and the test machines. */
export async function startTestNode(
  natsUrl: string,
  options: { config?: OrdoOptions; entities?: readonly EntityDefinition[]; node?: Partial<OrdoNodeOptions>; dataDir?: string } = {},
): Promise<TestNodeHandle> {
  const dataDir = options.dataDir ?? (await makeTempDir('ordo-node-'));
  const config = resolveConfig({ natsUrl, dataDir, nodeId: 'test-node', partitions: 8, timerPollMs: 50, ...options.config });
  const node = await OrdoNode.start({ config, entities: options.entities ?? TEST_ENTITIES, ...options.node });

  return {
    node,
    dataDir,
    stop: () => node.stop(),
    dispose: async () => {
      await node.stop();
      await removeTempDir(dataDir);
    },
  };
}

export function lmdbPath(dataDir: string): string {
  return join(dataDir, 'lmdb');
}
