import { ErpBusinessRejection, ErpFatalError, ErpRetryableError, isErpRejectionReason } from './erpErrors.ts';
import { parseRetryAfterMs } from './retryAfter.ts';

/** A response from an ERP HTTP API with a status outside 2xx. */
export interface ErpErrorResponse {
  status: number;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  retryAfter: string | null;
  /** Names the call in messages, for example `POST /sales-orders`. */
  call: string;
  nowMs: number;
}

/**
 * Classifies a non-2xx response. 408, 429 and 5xx are retryable, and 422 with a known
 * reason is a business rejection. 401/403, 400 and 409 (idempotency key reused with
 * another body) are fatal, and so is any status the API does not document.
 */
export function errorFromErpResponse(response: ErpErrorResponse): Error {
  const { status, call } = response;
  const detail = describeBody(response.body);

  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfterMs(response.retryAfter, response.nowMs);
    return new ErpRetryableError(`ERP call ${call} failed with HTTP ${status}: ${detail}`, { status, retryAfterMs });
  }

  if (status === 422) return rejectionFrom(response, detail);

  if (status === 401 || status === 403) {
    const message = `ERP call ${call} was not authorised (HTTP ${status}): ${detail}. Check the connector's token.`;
    return new ErpFatalError('ERR_ERP_AUTHENTICATION', message, { status });
  }

  if (status === 400) {
    const message = `ERP call ${call} was invalid (HTTP 400): ${detail}. Fix the effect's request data.`;
    return new ErpFatalError('ERR_ERP_VALIDATION', message, { status });
  }

  if (status === 409) {
    const message =
      `ERP call ${call} reused an idempotency key with a different request (HTTP 409): ${detail}. ` +
      'Derive a new key for a changed request.';
    return new ErpFatalError('ERR_ERP_IDEMPOTENCY_CONFLICT', message, { status });
  }

  const message = `ERP call ${call} returned unexpected HTTP ${status}: ${detail}. Check the connector's base URL.`;
  return new ErpFatalError('ERR_ERP_UNEXPECTED_RESPONSE', message, { status });
}

function rejectionFrom(response: ErpErrorResponse, detail: string): Error {
  const body = response.body as { reason?: unknown; message?: unknown } | null;
  const reason = body?.reason;

  if (!isErpRejectionReason(reason)) {
    const message = `ERP call ${response.call} returned HTTP 422 with unknown rejection reason ${JSON.stringify(reason)}: ${detail}`;
    return new ErpFatalError('ERR_ERP_UNEXPECTED_RESPONSE', message, { status: 422 });
  }

  const text = typeof body?.message === 'string' ? body.message : detail;
  return new ErpBusinessRejection(reason, text);
}

function describeBody(body: unknown): string {
  if (typeof body === 'string') return body === '' ? '(empty body)' : body.slice(0, 500);

  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  return JSON.stringify(body)?.slice(0, 500) ?? '(empty body)';
}
