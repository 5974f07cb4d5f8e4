import { HttpErpConnector } from '../../src/erp/httpErpConnector.ts';
import { createErpSimulator, type ErpSimulator } from '../../src/erp/simulator/createErpSimulator.ts';
import type { CatalogueProduct, ErpSimulatorOptions } from '../../src/erp/simulator/simulatorOptions.ts';

export const CATALOGUE: CatalogueProduct[] = [
  { productCode: 'WIDGET', name: 'Widget', unitPriceMinor: 10_000, currency: 'USD' },
  { productCode: 'GADGET', name: 'Gadget', unitPriceMinor: 2_500, currency: 'USD' },
];

export interface ErpFixture {
  simulator: ErpSimulator;
  connector: HttpErpConnector;
  /** Calls the simulator's HTTP API directly and returns status, headers and parsed body. */
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<RawResponse>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** Starts a simulator on 127.0.0.1 with the test catalogue and US tax configuration, plus a connector to it. */
export async function startErpFixture(
  options: Partial<ErpSimulatorOptions> = {},
  connectorOptions: { timeoutMs?: number; token?: string } = {},
): Promise<ErpFixture> {
  const simulator = await createErpSimulator({ catalogue: CATALOGUE, taxCountries: ['US'], ...options });
  const connector = new HttpErpConnector({ baseUrl: simulator.url, token: options.token, ...connectorOptions });

  const request: ErpFixture['request'] = async (method, path, requestOptions = {}) => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (requestOptions.body !== undefined) headers['content-type'] = 'application/json';

    const response = await fetch(`${simulator.url}${path}`, {
      method,
      headers,
      body: requestOptions.body === undefined ? undefined : JSON.stringify(requestOptions.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  };

  return { simulator, connector, request };
}

export function usd(amountMinor: number): { amountMinor: number; currency: string } {
  return { amountMinor, currency: 'USD' };
}
