import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUE } from './support/erpFixtures.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

const ENTRY = fileURLToPath(new URL('../src/erp/simulator/runErpSimulator.ts', import.meta.url));
const SCRIPT = `import { runErpSimulator } from ${JSON.stringify(ENTRY)}; await runErpSimulator(process.argv.slice(1));`;

let child: ChildProcess | undefined;
let tempDir: string | undefined;
afterEach(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = undefined;
  if (tempDir !== undefined) await removeTempDir(tempDir);
  tempDir = undefined;
});

function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, '--', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let buffered = '';
  for await (const chunk of stream) {
    buffered += String(chunk);
    const newline = buffered.indexOf('\n');
    if (newline >= 0) return buffered.slice(0, newline);
  }
  throw new Error(`stream ended before a full line; got ${JSON.stringify(buffered)}`);
}

describe('ordo erp-sim entry', () => {
  it('prints URL, serves, and stops on SIGTERM', async () => {
    tempDir = await makeTempDir('erp-cli');
    const catalogueFile = join(tempDir, 'catalogue.json');
    await writeFile(catalogueFile, JSON.stringify(CATALOGUE));

    child = startCli(['--catalogue', catalogueFile, '--tax-countries', 'US,gb', '--seed', '5', '--port', '0']);
    const url = await firstLine(child.stdout!);
    const health = await fetch(`${url}/health`);
    const customer = await fetch(`${url}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({ accountId: 'acc-gb', name: 'Britco', country: 'GB' }),
    });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(health.status).toBe(200);
    expect(((await customer.json()) as { taxConfigured: boolean }).taxConfigured).toBe(true);
    expect(code).toBe(0);
  });

  it('fails without a catalogue', async () => {
    child = startCli([]);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));

    const [code] = await once(child, 'exit');

    expect(code).not.toBe(0);
    expect(stderr).toContain('--catalogue FILE is required');
  });
});
