import { parseJsonText } from '../parseJsonText.ts';

/** An error the API returned in its `{ error: { code, message } }` shape. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/** The API could not be reached at all (refused, reset, unknown host). */
export class ApiUnreachableError extends Error {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const reason = (cause as { cause?: { code?: string } })?.cause?.code ?? (cause as Error)?.message ?? String(cause);
    super(`Cannot reach the Ordo API at ${url} (${reason}). Start a node with "ordo start" (or "ordo demo"), or point --url at a running one.`);
    this.name = 'ApiUnreachableError';
    this.url = url;
  }
}

/** Calls a node's HTTP API and returns parsed JSON, or throws `ApiError` / `ApiUnreachableError`. */
export class ApiClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;

  constructor(options: { baseUrl: string; token?: string }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
  }

  get<T>(path: string): Promise<T> {
    return this.#request<T>('GET', path, undefined, {});
  }

  post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.#request<T>('POST', path, body, headers);
  }

  async #request<T>(method: string, path: string, body: unknown, extraHeaders: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new ApiUnreachableError(this.baseUrl, error);
    }

    const text = await response.text();
    const parsed = parseJsonText(text);
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(error?.code ?? `HTTP_${response.status}`, error?.message ?? (text.slice(0, 200) || response.statusText), response.status);
    }
    return parsed as T;
  }
}

/** Encodes an entity key (or any value) as one URL path segment. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}
