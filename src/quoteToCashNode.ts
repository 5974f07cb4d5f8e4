import { createQuoteToCashActors } from '../actors/quoteToCashActors.ts';
import type { OrderTimings } from '../machines/orderContext.ts';
import type { OrdoConfig } from './config.ts';
import { mapCrmEvent } from './crm/mapCrmEvent.ts';
import type { CrmMapper } from './crmIngress.ts';
import { CircuitBreaker } from './effects/circuitBreaker.ts';
import { ErpEffectHandler } from './erp/erpEffectHandler.ts';
import { HttpErpConnector } from './erp/httpErpConnector.ts';
import { startHttpServer } from './http/startHttpServer.ts';
import type { Logger } from './log.ts';
import { OrdoNode } from './ordoNode.ts';

/** ERP API used when none is configured: where `ordo erp-sim --port 8480` listens. */
export const DEFAULT_ERP_URL = 'http://127.0.0.1:8480';

export interface QuoteToCashNodeOptions {
  config: OrdoConfig;
  log?: Logger;
  /** ERP API base URL. Default `DEFAULT_ERP_URL`; calls retry with backoff while it is down. */
  erpUrl?: string;
  erpToken?: string;
  /** Time allowed for one ERP request, in milliseconds. Default: the connector's 10_000. */
  erpTimeoutMs?: number;
  /** Calls to the ERP in flight at once. Default 8. */
  erpConcurrency?: number;
  /**
   * Timings of new orders: submit deadline, resend delay, attempts per key, escalation delay
   * (event-time milliseconds). Defaults: 10 min, 30 s, 3, 24 h. Every node must use the same.
   */
  orderTimings?: Partial<OrderTimings>;
  /** Serve the HTTP API. Default true. */
  http?: boolean;
  projectRoot?: string;
}

export interface RunningQuoteToCashNode {
  node: OrdoNode;
  erp: ErpEffectHandler;
  httpUrl: string | undefined;
  natsUrl: string;
  stop(): Promise<void>;
}

// Five consecutive ERP failures open the breaker for ten seconds, then one call probes.
const BREAKER_FAILURES = 5;
const BREAKER_OPEN_MS = 10_000;

export const quoteToCashMapper: CrmMapper = (input) => mapCrmEvent(input);

/** Starts a node wired for quote-to-cash: the three entity types, CRM mappings and the ERP connector. */
export async function startQuoteToCashNode(options: QuoteToCashNodeOptions): Promise<RunningQuoteToCashNode> {
  const erp = new ErpEffectHandler({
    connector: new HttpErpConnector({ baseUrl: options.erpUrl ?? DEFAULT_ERP_URL, token: options.erpToken, timeoutMs: options.erpTimeoutMs }),
    connectorName: 'erp',
    breaker: new CircuitBreaker({ failureThreshold: BREAKER_FAILURES, openMs: BREAKER_OPEN_MS, now: () => Date.now() }),
    concurrency: options.erpConcurrency ?? 8,
  });

  const node = await OrdoNode.start({
    config: options.config,
    entities: createQuoteToCashActors({ orderTimings: options.orderTimings }),
    effectHandlers: [erp],
    crmMapper: quoteToCashMapper,
    log: options.log,
    projectRoot: options.projectRoot,
  });

  let http: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  try {
    if (options.http !== false) http = await startHttpServer(node, { breakers: { erp: () => erp.breakerState } });
  } catch (error) {
    await node.stop();
    throw error;
  }

  return {
    node,
    erp,
    httpUrl: http?.url,
    natsUrl: node.embeddedNats?.url ?? options.config.natsUrl ?? '',
    async stop() {
      await http?.close();
      await node.stop();
    },
  };
}
