import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../src/http/startHttpServer.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

/** Parses a JSON response body for assertions. */
async function bodyOf(response: Response): Promise<any> {
  return response.json();
}

const ODD_KEY = 'acct/7 ü.*>%?#';

describe('entity routes', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let http: HttpServer;

  const entityUrl = (type: string, key: string, suffix = '') => `${http.url}/v1/entities/${type}/${encodeURIComponent(key)}${suffix}`;
  const send = (type: string, key: string, event: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(entityUrl(type, key, '/events'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(event) });

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url);
    http = await startHttpServer(handle.node, { port: 0 });
  });

  afterAll(async () => {
    await http?.close();
    await handle?.dispose();
    await server?.stop();
  });

  it('round-trips a key with slash and unicode', async () => {
    const response = await send('ledger', ODD_KEY, { type: 'append', value: 5 });
    expect(response.status).toBe(202);
    await handle.node.waitForIdle();

    const entity = await bodyOf(await fetch(entityUrl('ledger', ODD_KEY)));
    expect(entity.key).toBe(ODD_KEY);
    expect(entity.type).toBe('ledger');
    expect(entity.context.values).toEqual([5]);
    expect(entity.owner).toBe('test-node');
    expect(entity.acceptedEvents).toEqual(['append', 'boom', 'forward', 'ping']);
    expect(Date.parse(entity.updatedAt)).not.toBeNaN();
  });

  it('shows timers and accepted events of the current state', async () => {
    expect((await send('alarm', 'a1', { type: 'arm', delayMs: 3_600_000 })).status).toBe(202);
    await handle.node.waitForIdle();

    const entity = await bodyOf(await fetch(entityUrl('alarm', 'a1')));
    expect(entity.state).toBe('armed');
    expect(entity.acceptedEvents).toEqual(['disarm', 'ring']);
    expect(entity.timers).toHaveLength(1);
    expect(entity.timers[0].timerId).toBe('ring');
    expect(Date.parse(entity.timers[0].dueAt)).toBeGreaterThan(Date.now() + 3_000_000);
    expect(entity.pendingEffects).toEqual([]);
  });

  it('returns 404 for an unknown entity', async () => {
    const response = await fetch(entityUrl('ledger', 'nobody'));
    expect(response.status).toBe(404);
    expect((await bodyOf(response)).error.code).toBe('ERR_ENTITY_NOT_FOUND');
  });

  it('returns 400 for an unknown type', async () => {
    const response = await fetch(entityUrl('nosuchtype', 'k'));
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).error.code).toBe('ERR_ENTITY_TYPE_UNKNOWN');
  });

  it('returns 400 for a key that is too long', async () => {
    const response = await fetch(entityUrl('ledger', 'x'.repeat(300)));
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).error.code).toBe('ERR_KEY_TOO_LONG');
  });

  it('rejects an invalid command with the errors', async () => {
    const response = await send('ledger', 'v1', { type: 'append', value: 'seven' });
    const body = await bodyOf(response);
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('ERR_MESSAGE_INVALID');
    expect(body.error.details.errors[0]).toContain('append.value must be a number');
  });

  it('records the operator as sender in history', async () => {
    const response = await send('ledger', 'h1', { type: 'append', value: 1 }, { 'x-ordo-sender': 'alice' });
    const accepted = await bodyOf(response);
    expect(accepted.msgId).toMatch(/^operator:/);
    await handle.node.waitForIdle();

    const history = await bodyOf(await fetch(entityUrl('ledger', 'h1', '/history')));
    expect(history.items).toHaveLength(1);
    expect(history.items[0].sender).toBe('alice');
    expect(history.items[0].msgId).toBe(accepted.msgId);
    expect(history.items[0].seq).toBe(accepted.seq);
  });

  it('applies a retried idempotent request once', async () => {
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await bodyOf(await send('ledger', 'i1', { type: 'append', value: 1 }, headers));
    const second = await bodyOf(await send('ledger', 'i1', { type: 'append', value: 1 }, headers));
    await handle.node.waitForIdle();

    expect(first.msgId).toBe('operator:retry-1');
    expect(second.duplicate).toBe(true);
    const entity = await bodyOf(await fetch(entityUrl('ledger', 'i1')));
    expect(entity.context.values).toEqual([1]);
  });

  it('pages history newest first', async () => {
    for (let value = 0; value < 7; value++) await send('ledger', 'p1', { type: 'append', value });
    await handle.node.waitForIdle();

    const seen: number[] = [];
    let before: number | undefined;
    for (let page = 0; page < 10; page++) {
      const query = before === undefined ? '?limit=3' : `?limit=3&before=${before}`;
      const body = await bodyOf(await fetch(entityUrl('ledger', 'p1', `/history${query}`)));
      seen.push(...body.items.map((row: { seq: number }) => row.seq));
      before = body.nextCursor;
      if (before === undefined) break;
    }

    expect(seen).toHaveLength(7);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(7);
  });
});
