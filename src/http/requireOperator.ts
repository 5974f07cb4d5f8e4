import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './httpErrorHandler.ts';

/**
 * Builds the pre-handler of every mutating route. With a token configured, the
 * request must carry `Authorization: Bearer <token>`. Without one, only loopback
 * clients are served, so a node bound to a public address is not open to anyone.
 */
export function requireOperator(apiToken: string | undefined): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const expected = apiToken === undefined ? undefined : digest(apiToken);

  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected === undefined) {
      if (isLoopback(request.ip)) return;
      return sendError(reply, 401, {
        error: { code: 'ERR_UNAUTHORIZED', message: `No API token is configured, so mutating routes serve loopback clients only (request from ${request.ip}); set ORDO_API_TOKEN on the node.` },
      });
    }

    const presented = bearerToken(request.headers.authorization);
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    return sendError(reply, 401, {
      error: { code: 'ERR_UNAUTHORIZED', message: 'Missing or wrong bearer token; send Authorization: Bearer <ORDO_API_TOKEN>.' },
    });
  };
}

/** Returns whether `ip` is a loopback address, including IPv4-mapped IPv6. */
export function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

// Comparing fixed-length digests keeps the comparison constant-time whatever the token lengths.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
