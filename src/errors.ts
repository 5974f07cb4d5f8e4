/**
 * Every stable error code Ordo reports, with the HTTP status the API responds
 * with. Dead letters, logs and the HTTP API all use these codes, so an operator
 * can search for one and find the same thing everywhere.
 */
export const ERROR_CODES = {
  ERR_CONFIG_INVALID: { status: 500, description: 'A configuration option has an invalid value.' },
  ERR_PARTITION_COUNT_MISMATCH: { status: 500, description: 'The node was started with a partition count other than the one recorded in JetStream.' },
  ERR_KEY_EMPTY: { status: 400, description: 'An entity key is empty.' },
  ERR_KEY_TOO_LONG: { status: 400, description: 'An entity key is longer than the maximum length in UTF-8 bytes.' },
  ERR_KEY_INVALID: { status: 400, description: 'An entity key is not a well-formed string, or an encoded key token is malformed.' },
  ERR_ENTITY_TYPE_UNKNOWN: { status: 400, description: 'No entity type of that name is registered.' },
  ERR_ENTITY_NOT_FOUND: { status: 404, description: 'No entity with that type and key has been created.' },
  ERR_MESSAGE_UNDECODABLE: { status: 400, description: 'A message body is not valid JSON or MessagePack.' },
  ERR_MESSAGE_INVALID: { status: 400, description: 'A message does not match the inbox envelope or the command schema.' },
  ERR_MESSAGE_TOO_LARGE: { status: 400, description: 'A message is larger than the inbox accepts.' },
  ERR_MACHINE_THREW: { status: 500, description: 'The entity machine threw while applying a message.' },
  ERR_EFFECT_UNKNOWN_KIND: { status: 500, description: 'A machine requested an effect that no handler executes.' },
  ERR_EFFECT_FAILED: { status: 500, description: 'An effect failed permanently and was parked in dead letters.' },
  ERR_CRM_MAPPING_FAILED: { status: 400, description: 'A CRM event could not be mapped to entity commands.' },
  ERR_NATS_SERVER_NOT_FOUND: { status: 500, description: 'No usable nats-server binary was found.' },
  ERR_DEAD_LETTER_NOT_FOUND: { status: 404, description: 'No dead letter with that sequence exists.' },
  ERR_UNAUTHORIZED: { status: 401, description: 'A mutating request lacks the configured bearer token.' },
  ERR_BAD_REQUEST: { status: 400, description: 'The request is invalid.' },
  ERR_ROUTE_NOT_FOUND: { status: 404, description: 'No HTTP route matches the request method and path.' },
  ERR_DEAD_LETTER_NOT_REPLAYABLE: { status: 409, description: 'The dead letter holds a parked effect, not a message, so there is nothing to republish.' },
  ERR_DEAD_LETTER_IS_AUDIT: { status: 409, description: 'The sequence names the audit record of a discarded dead letter; audit records are kept as they are.' },
  ERR_NATS_UNAVAILABLE: { status: 503, description: 'NATS did not reply in time, or the connection is closed.' },
  ERR_NOT_READY: { status: 503, description: 'The node is not ready to serve: see the reasons in the error details.' },
  ERR_INTERNAL: { status: 500, description: 'The server failed unexpectedly; the node log has the cause.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An Ordo failure with a stable code; `cause` keeps the underlying error. */
export class OrdoError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'OrdoError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isOrdoError(error: unknown, code?: ErrorCode): error is OrdoError {
  return error instanceof OrdoError && (code === undefined || error.code === code);
}
