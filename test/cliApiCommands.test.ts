import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { runApiCommand } from '../src/cli/apiCommands.ts';
import type { CliIo } from '../src/cli/cliIo.ts';
import { startHttpServer, type HttpServer } from '../src/http/startHttpServer.ts';
import { Publisher } from '../src/publisher.ts';
import { freePort } from './support/freePort.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

const KEY = 'cli/1 ü';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('API commands of the CLI', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let http: HttpServer;
  let nc: NatsConnection;

  const run = async (command: string, ...argv: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} };
    const code = await runApiCommand(command, [...argv, '--url', http.url], io);
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url);
    http = await startHttpServer(handle.node, { port: 0 });
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await http?.close();
    await handle?.dispose();
    await server?.stop();
  });

  it('sends a command', async () => {
    const result = await run('send', 'ledger', KEY, 'append', '--data', '{"value":3}', '--sender', 'carol');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sent append to ledger "cli\/1 ü": inbox seq \d+, msgId operator:/);
    await handle.node.waitForIdle();
  });

  it('inspects an entity as fields and as JSON', async () => {
    const table = await run('inspect', 'ledger', KEY);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^type +ledger$/m);
    expect(table.stdout).toMatch(/^key +cli\/1 ü$/m);
    expect(table.stdout).toContain('"values": [\n    3\n  ]');

    const json = await run('inspect', 'ledger', KEY, '--json');
    expect(JSON.parse(json.stdout).context.values).toEqual([3]);
  });

  it('prints history with the sender', async () => {
    const result = await run('history', 'ledger', KEY, '--limit', '5');
    expect(result.code).toBe(0);
    const [header, row] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^SEQ +TIME +EVENT +FROM +TO +OUTCOME +SENDER +EFFECTS\/NOTES$/);
    expect(row).toContain('append');
    expect(row).toContain('carol');
    // Columns line up: SENDER starts at the same offset in the header and the row.
    expect(row!.indexOf('carol')).toBe(header!.indexOf('SENDER'));
  });

  it('lists and counts entities', async () => {
    const list = await run('ls', 'ledger', '--state', '{}');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(KEY);

    const stats = await run('stats', 'ledger');
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^\(total\) +1$/m);
  });

  it('prints the error code of an API error', async () => {
    const result = await run('inspect', 'ledger', 'missing');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERR_ENTITY_NOT_FOUND: No ledger entity with key "missing"/);
  });

  it('works through dead letters', async () => {
    await new Publisher(jetstream(nc)).sendToEntity({ entityType: 'ledger', key: KEY, event: { type: 'append', value: 'x' }, msgId: 'cli-bad-1' });
    await handle.node.waitForIdle();

    const list = await run('dlq', 'ls');
    expect(list.code).toBe(0);
    const line = list.stdout.split('\n').find((text) => text.includes('ERR_MESSAGE_INVALID'))!;
    expect(line).toContain(`ledger/${KEY}`);
    const seq = line.split(/ +/)[0]!;

    const show = await run('dlq', 'show', seq);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('"value":"x"');

    const replay = await run('dlq', 'replay', seq);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`^replayed dead letter ${seq} to ordo\\.in\\.ledger\\.`));

    const discard = await run('dlq', 'discard', seq, '--reason', 'test');
    expect(discard.code).toBe(0);
    expect(discard.stdout).toMatch(/^discarded dead letter \d+; audit record at seq \d+$/m);
    expect((await run('dlq', 'show', seq)).stderr).toMatch(/^ERR_DEAD_LETTER_NOT_FOUND/);
  });

  it('explains a refused connection', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    let stderr = '';
    const code = await runApiCommand('stats', ['ledger', '--url', url], { stdout: () => undefined, stderr: (text) => (stderr += text), env: {} });
    expect(code).toBe(1);
    expect(stderr).toContain(url);
    expect(stderr).toContain('ECONNREFUSED');
    expect(stderr).toContain('ordo start');
  });

  it('prints usage for a missing argument', async () => {
    const result = await run('send', 'ledger', KEY);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Expected <type> <key> <eventType>');
    expect(result.stderr).toContain('Usage: ordo send');
  });

  it('rejects data that is not a JSON object', async () => {
    const result = await run('send', 'ledger', KEY, 'append', '--data', '[1]');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--data must be a JSON object');
  });
});
