import type {
  ErpCallOptions,
  ErpCancelSalesOrderRequest,
  ErpConnector,
  ErpCustomerDocument,
  ErpCustomerRequest,
  ErpInvoiceDocument,
  ErpInvoiceRequest,
  ErpSalesOrderDocument,
  ErpSalesOrderRequest,
  ErpVoidInvoiceRequest,
} from './erpConnector.ts';
import { ErpFatalError, ErpRetryableError } from './erpErrors.ts';
import { errorFromErpResponse } from './erpResponseError.ts';
import { parseJsonText } from '../parseJsonText.ts';

export interface HttpErpConnectorOptions {
  /** Base URL of the ERP API, for example `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Time allowed for one request, response body included, in milliseconds. Default 10_000. */
  timeoutMs?: number;
  /** Clock for `Retry-After` dates, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** An `ErpConnector` for the ERP simulator's HTTP API, using Node's global `fetch`. */
export class HttpErpConnector implements ErpConnector {
  readonly #baseUrl: URL;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: HttpErpConnectorOptions) {
    this.#baseUrl = parseBaseUrl(options.baseUrl);
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;

    if (!(this.#timeoutMs > 0)) {
      throw new RangeError(`HttpErpConnector timeoutMs must be a positive number of milliseconds, got ${this.#timeoutMs}`);
    }
  }

  async upsertCustomer(request: ErpCustomerRequest, options: ErpCallOptions): Promise<ErpCustomerDocument> {
    const body = await this.#post('/customers', request, options);
    return { customerNumber: readString(body, 'customerNumber', 'POST /customers') };
  }

  async createSalesOrder(request: ErpSalesOrderRequest, options: ErpCallOptions): Promise<ErpSalesOrderDocument> {
    const body = await this.#post('/sales-orders', request, options);
    return readSalesOrder(body, 'POST /sales-orders');
  }

  async cancelSalesOrder(request: ErpCancelSalesOrderRequest, options: ErpCallOptions): Promise<ErpSalesOrderDocument> {
    const path = `/sales-orders/${encodeURIComponent(request.orderNumber)}/cancel`;
    const body = await this.#post(path, { reason: request.reason }, options);
    return readSalesOrder(body, `POST ${path}`);
  }

  async createInvoice(request: ErpInvoiceRequest, options: ErpCallOptions): Promise<ErpInvoiceDocument> {
    const body = await this.#post('/invoices', request, options);
    return readInvoice(body, 'POST /invoices');
  }

  async voidInvoice(request: ErpVoidInvoiceRequest, options: ErpCallOptions): Promise<ErpInvoiceDocument> {
    const path = `/invoices/${encodeURIComponent(request.invoiceNumber)}/void`;
    const body = await this.#post(path, { reason: request.reason }, options);
    return readInvoice(body, `POST ${path}`);
  }

  async #post(path: string, request: object, options: ErpCallOptions): Promise<unknown> {
    const call = `POST ${path}`;
    const url = new URL(path.slice(1), this.#baseUrl);
    const signal = combineSignals(AbortSignal.timeout(this.#timeoutMs), options.signal);

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: 'POST', headers: this.#headers(options), body: JSON.stringify(request), signal });
      text = await response.text();
    } catch (error) {
      throw this.#networkError(call, error, options.signal);
    }

    const body = parseJsonText(text);
    if (response.ok) return body;

    throw errorFromErpResponse({
      status: response.status,
      body: body === undefined ? text : body,
      retryAfter: response.headers.get('retry-after'),
      call,
      nowMs: this.#now(),
    });
  }

  #headers(options: ErpCallOptions): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': options.idempotencyKey,
    };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    return headers;
  }

  // The request may have reached the ERP before the failure, so every network
  // failure is retryable: the same idempotency key makes the repeat safe.
  #networkError(call: string, error: unknown, callerSignal: AbortSignal | undefined): ErpRetryableError {
    if (callerSignal?.aborted) {
      return new ErpRetryableError(`ERP call ${call} was aborted by the caller`, { cause: error });
    }
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return new ErpRetryableError(`ERP call ${call} timed out after ${this.#timeoutMs} ms`, { cause: error });
    }

    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    const detail = typeof code === 'string' ? code : String(error);
    return new ErpRetryableError(`ERP call ${call} to ${this.#baseUrl.origin} failed: ${detail}`, { cause: error });
  }
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new TypeError(`HttpErpConnector baseUrl ${JSON.stringify(baseUrl)} is not a valid URL; pass a URL such as http://127.0.0.1:4010`, { cause: error });
  }

  // A trailing slash makes relative paths resolve below the base path, not beside it.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function combineSignals(timeout: AbortSignal, caller: AbortSignal | undefined): AbortSignal {
  return caller === undefined ? timeout : AbortSignal.any([timeout, caller]);
}

function readString(body: unknown, field: string, call: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (typeof value === 'string' && value !== '') return value;

  const message = `ERP call ${call} succeeded but its response has no string ${field}: ${JSON.stringify(body)?.slice(0, 500)}`;
  throw new ErpFatalError('ERR_ERP_UNEXPECTED_RESPONSE', message);
}

function readSalesOrder(body: unknown, call: string): ErpSalesOrderDocument {
  const orderNumber = readString(body, 'orderNumber', call);
  const status = readString(body, 'status', call);
  if (status !== 'open' && status !== 'cancelled') {
    throw new ErpFatalError('ERR_ERP_UNEXPECTED_RESPONSE', `ERP call ${call} returned unknown sales order status ${JSON.stringify(status)}`);
  }
  return { orderNumber, status };
}

function readInvoice(body: unknown, call: string): ErpInvoiceDocument {
  const invoiceNumber = readString(body, 'invoiceNumber', call);
  const status = readString(body, 'status', call);
  if (status !== 'issued' && status !== 'voided') {
    throw new ErpFatalError('ERR_ERP_UNEXPECTED_RESPONSE', `ERP call ${call} returned unknown invoice status ${JSON.stringify(status)}`);
  }
  return { invoiceNumber, status };
}
