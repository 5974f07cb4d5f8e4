import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ClosedConnectionError, NoRespondersError, TimeoutError } from '@nats-io/transport-node';
import { ERROR_CODES, OrdoError, type ErrorCode } from '../errors.ts';
import type { ErrorResponse } from './errorResponse.ts';

/**
 * Installs the handlers that turn every failure into the shared error shape:
 * `OrdoError` keeps its code, schema validation failures become
 * `ERR_BAD_REQUEST`, NATS outages `ERR_NATS_UNAVAILABLE`, anything else `ERR_INTERNAL`.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const response = toErrorResponse(error);
    const status = ERROR_CODES[response.error.code as ErrorCode].status;

    // Client mistakes are logged at info by the log controller; only faults carry the stack.
    if (status >= 500) request.log.error({ err: error, code: response.error.code }, 'request failed');
    return sendError(reply, status, response);
  });

  app.setNotFoundHandler((request, reply) => {
    return sendError(reply, 404, {
      error: { code: 'ERR_ROUTE_NOT_FOUND', message: `No route for ${request.method} ${request.url}; GET /openapi.json lists the routes.` },
    });
  });
}

export function sendError(reply: FastifyReply, status: number, body: ErrorResponse): FastifyReply {
  return reply.code(status).type('application/json').send(body);
}

function toErrorResponse(error: FastifyError): ErrorResponse {
  if (error instanceof OrdoError) {
    return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }

  if (error.validation) {
    const where = error.validationContext ?? 'request';
    return { error: { code: 'ERR_BAD_REQUEST', message: `Invalid ${where}: ${error.message}.`, details: { validation: error.validation } } };
  }

  if (isNatsOutage(error)) {
    return { error: { code: 'ERR_NATS_UNAVAILABLE', message: `NATS request failed: ${error.message}. Check that nats-server runs and the node is connected.` } };
  }

  // Fastify's own client errors (bad JSON body, unsupported media type) carry a 4xx status.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { error: { code: 'ERR_BAD_REQUEST', message: error.message, details: { fastifyCode: error.code } } };
  }

  return { error: { code: 'ERR_INTERNAL', message: `Internal error: ${error.message}` } };
}

function isNatsOutage(error: unknown): boolean {
  return error instanceof TimeoutError || error instanceof NoRespondersError || error instanceof ClosedConnectionError;
}
