import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startHttpServer, type HttpServer } from '../src/http/startHttpServer.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';
import { waitForReaders } from './support/waitForReaders.ts';

interface LogLine {
  level: number;
  msg: string;
  statusCode?: number;
  url?: string;
}

const DEBUG = 20;
const INFO = 30;
const WARN = 40;

describe('HTTP log policy', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let http: HttpServer;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const text of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(text));
        done();
      },
    });
    server = await startNatsServer();
    handle = await startTestNode(server.url, { node: { log: pino({ level: 'debug' }, sink) } });
    http = await startHttpServer(handle.node, { port: 0 });
    await waitForReaders(handle.node);
  });

  afterAll(async () => {
    await http?.close();
    await handle?.dispose();
    await server?.stop();
  });

  const completed = (url: string) => lines.find((line) => line.msg === 'request completed' && line.url === url);

  it('warns at start without a token', () => {
    const warning = lines.find((line) => line.level === WARN && line.msg.startsWith('no API token configured'));
    expect(warning).toBeDefined();
  });

  it('logs a served request at debug', async () => {
    await fetch(`${http.url}/healthz`);
    expect(completed('/healthz')?.level).toBe(DEBUG);
  });

  it('logs a client error at info', async () => {
    await fetch(`${http.url}/v1/entities/ledger/nobody`);
    const line = completed('/v1/entities/ledger/nobody');
    expect(line?.level).toBe(INFO);
    expect(line?.statusCode).toBe(404);
  });
});
