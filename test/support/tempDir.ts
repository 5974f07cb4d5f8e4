import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates an empty folder `<os tmpdir>/ordo-<prefix>-XXXXXX` and returns its path. */
export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ordo-${prefix}-`));
}

/** Deletes a folder made by makeTempDir with everything in it; a missing folder is fine. */
export async function removeTempDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}
