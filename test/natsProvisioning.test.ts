import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_NATS_SERVER_VERSION, compareVersions, findNatsServer, parseNatsVersion } from '../src/natsBinary.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// Stand-in executables that print a chosen version, for the cases that need a nats-server
// this machine does not have (too old, or a particular series in a particular place).
async function writeVersionScript(path: string, version: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `#!/bin/sh\necho "nats-server: v${version}"\n`);
  await chmod(path, 0o755);
  return path;
}

describe('parseNatsVersion', () => {
  it.each([
    ['nats-server: v2.10.27', '2.10.27'],
    ['nats-server: v2.15.1\n', '2.15.1'],
    ['2.10.23', '2.10.23'],
    ['nats-server: v2.11.0-RC.2', '2.11.0'],
    ['v02.010.023', '2.10.23'],
  ])('parses %j', (text, expected) => {
    expect(parseNatsVersion(text)).toBe(expected);
  });

  it.each(['', 'nats-server: unknown', 'v2.10'])('returns undefined for %j', (text) => {
    expect(parseNatsVersion(text)).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it.each([
    ['2.10.23', '2.10.23', 0],
    ['2.10.27', '2.10.23', 1],
    ['2.10.22', '2.10.23', -1],
    ['2.9.10', '2.10.23', -1],
    ['2.15.1', '2.10.23', 1],
    ['3.0.0', '2.99.99', 1],
    ['2.10.100', '2.10.99', 1],
  ])('compares %s with %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it('rejects text without a version', () => {
    expect(() => compareVersions('latest', '2.10.23')).toThrow(/Invalid version 'latest'/);
  });
});

describe('findNatsServer', () => {
  let scratch: string;
  let emptyProject: string;

  beforeAll(async () => {
    scratch = await makeTempDir('provisioning');
    emptyProject = join(scratch, 'empty-project');
    await mkdir(emptyProject);
  });

  afterAll(async () => {
    await removeTempDir(scratch);
  });

  it('finds a supported binary on this machine', async () => {
    const found = await findNatsServer();

    expect(compareVersions(found.version, MIN_NATS_SERVER_VERSION)).toBeGreaterThanOrEqual(0);
    const { stdout } = await execFileAsync(found.path, ['--version']);
    expect(parseNatsVersion(stdout)).toBe(found.version);
  });

  it('rejects a too old ORDO_NATS_SERVER naming both versions', async () => {
    const old = await writeVersionScript(join(scratch, 'old', 'nats-server'), '2.9.10');

    const search = findNatsServer({ env: { ORDO_NATS_SERVER: old, PATH: '' }, projectRoot: emptyProject });

    await expect(search).rejects.toThrow(/2\.9\.10/);
    await expect(search).rejects.toThrow(/minimum 2\.10\.23/);
    await expect(search).rejects.toThrow(old);
  });

  it('skips a too old PATH binary and says what it searched', async () => {
    const oldFolder = join(scratch, 'old-on-path');
    await writeVersionScript(join(oldFolder, 'nats-server'), '2.9.10');

    const search = findNatsServer({ env: { PATH: oldFolder }, projectRoot: emptyProject });

    await expect(search).rejects.toThrow(/PATH: .* is version 2\.9\.10, older than the minimum 2\.10\.23/);
    await expect(search).rejects.toThrow(/\.tools: .* does not exist/);
    await expect(search).rejects.toThrow(/bash scripts\/setup\.sh/);
    await expect(search).rejects.toThrow(/ORDO_NATS_SERVER/);
  });

  it('reports a missing ORDO_NATS_SERVER file', async () => {
    const missing = join(scratch, 'no-such-folder', 'nats-server');

    const search = findNatsServer({ env: { ORDO_NATS_SERVER: missing, PATH: '' }, projectRoot: emptyProject });

    await expect(search).rejects.toThrow(`ORDO_NATS_SERVER='${missing}' is not an executable file`);
  });

  it('prefers ORDO_NATS_SERVER, then PATH, then .tools', async () => {
    const project = join(scratch, 'order');
    const fromEnv = await writeVersionScript(join(project, 'env', 'nats-server'), '2.10.25');
    const fromPath = await writeVersionScript(join(project, 'bin', 'nats-server'), '2.10.26');
    const fromTools = await writeVersionScript(join(project, '.tools', 'nats-server', 'latest', 'nats-server'), '2.10.27');

    const all = await findNatsServer({ env: { ORDO_NATS_SERVER: fromEnv, PATH: join(project, 'bin') }, projectRoot: project });
    const noEnv = await findNatsServer({ env: { PATH: join(project, 'bin') }, projectRoot: project });
    const toolsOnly = await findNatsServer({ env: { PATH: '' }, projectRoot: project });

    expect(all).toEqual({ path: fromEnv, version: '2.10.25' });
    expect(noEnv).toEqual({ path: fromPath, version: '2.10.26' });
    expect(toolsOnly).toEqual({ path: fromTools, version: '2.10.27' });
  });

  it('series 2.10 skips a newer binary', async () => {
    const project = join(scratch, 'series');
    await writeVersionScript(join(project, 'bin', 'nats-server'), '2.15.1');
    const fromTools = await writeVersionScript(join(project, '.tools', 'nats-server', '2.10', 'nats-server'), '2.10.27');

    const found = await findNatsServer({ series: '2.10', env: { PATH: join(project, 'bin') }, projectRoot: project });

    expect(found).toEqual({ path: fromTools, version: '2.10.27' });
  });
});

describe('provision-nats.sh', () => {
  const script = join(repoRoot, 'scripts', 'provision-nats.sh');

  it('prints the path of an existing binary without downloading', async () => {
    const existing = await findNatsServer();

    const { stdout, stderr } = await execFileAsync('bash', [script], {
      env: { ...process.env, ORDO_NATS_SERVER: existing.path },
    });

    expect(stdout.trim()).toBe(existing.path);
    expect(stderr).toContain(`using nats-server ${existing.version}`);
    expect(stderr).not.toContain('downloading');
  });

  it('fails on a too old ORDO_NATS_SERVER', async () => {
    const scratch = await makeTempDir('provision-script');
    try {
      const old = await writeVersionScript(join(scratch, 'nats-server'), '2.9.10');

      const run = execFileAsync('bash', [script], { env: { ...process.env, ORDO_NATS_SERVER: old } });

      await expect(run).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('is nats-server 2.9.10, older than the minimum 2.10.23'),
      });
    } finally {
      await removeTempDir(scratch);
    }
  });

  it('rejects an unknown series', async () => {
    const run = execFileAsync('bash', [script, '--series', '2.9']);

    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("invalid --series '2.9'") });
  });
});
