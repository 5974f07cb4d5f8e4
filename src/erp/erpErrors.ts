/** Reason codes an ERP gives when it understood a request and refused it on business grounds. */
export const ERP_REJECTION_REASONS = [
  'taxConfigMissing',
  'creditHold',
  'unknownProduct',
  'duplicate',
  'pricingMismatch',
  'notFound',
  'invalidState',
] as const;

export type ErpRejectionReason = (typeof ERP_REJECTION_REASONS)[number];

export function isErpRejectionReason(value: unknown): value is ErpRejectionReason {
  return typeof value === 'string' && (ERP_REJECTION_REASONS as readonly string[]).includes(value);
}

/** Stable codes of `ErpFatalError`. */
export type ErpFatalCode =
  | 'ERR_ERP_AUTHENTICATION'
  | 'ERR_ERP_VALIDATION'
  | 'ERR_ERP_IDEMPOTENCY_CONFLICT'
  | 'ERR_ERP_UNEXPECTED_RESPONSE';

/**
 * An ERP call that may pass if repeated with the same idempotency key: timeout,
 * 429, 5xx, refused or reset connection. The ERP may or may not have executed it.
 */
export class ErpRetryableError extends Error {
  /** Delay the ERP asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status, when the ERP responded at all. */
  readonly status: number | undefined;

  constructor(message: string, options: { retryAfterMs?: number; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ErpRetryableError';
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** The ERP refused the request because of its data; this is a result to act on, not a failure. */
export class ErpBusinessRejection extends Error {
  readonly reason: ErpRejectionReason;

  constructor(reason: ErpRejectionReason, message: string) {
    super(message);
    this.name = 'ErpBusinessRejection';
    this.reason = reason;
  }
}

/** An ERP call that will fail again however often it is repeated (authentication, invalid request, key reuse). */
export class ErpFatalError extends Error {
  readonly code: ErpFatalCode;
  readonly status: number | undefined;

  constructor(code: ErpFatalCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ErpFatalError';
    this.code = code;
    this.status = options.status;
  }
}
