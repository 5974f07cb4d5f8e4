import { createServer, type Server } from 'node:net';

/**
 * Returns `count` distinct ports that were free on `host` a moment ago. All of them are
 * held open until the last is chosen, so no port appears twice. Another process can still
 * take a port before the caller binds it.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      servers.push(await listenOnAnyPort(host));
    }
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Returns one port that was free on `host` a moment ago. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, host);
  return port;
}

function listenOnAnyPort(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`Expected a TCP address from the listening socket, got ${String(address)}.`);
  }
  return address.port;
}
