import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';

/**
 * Applies the request log policy: a served request at debug, a client error
 * (4xx) at info, a server fault (5xx) at error. Polling probes and scrapes
 * therefore stay out of info logs, and a client's mistake never reads as a fault.
 */
export class HttpLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url, ip: request.ip }, 'request received');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { method: request.method, url: request.url, statusCode: reply.statusCode, responseTimeMs: Math.round(reply.elapsedTime * 10) / 10 };
    if (error || reply.statusCode >= 500) reply.log.error({ ...fields, err: error ?? undefined }, 'request completed');
    else if (reply.statusCode >= 400) reply.log.info(fields, 'request completed');
    else reply.log.debug(fields, 'request completed');
  }
}
