import type { FastifyBaseLogger } from 'fastify';
import type { FaultProfile } from './faultProfile.ts';

export interface CatalogueProduct {
  productCode: string;
  name: string;
  unitPriceMinor: number;
  /** ISO 4217 code. */
  currency: string;
}

export interface ErpSimulatorOptions {
  /** Products a sales order may name; any other code is rejected with `unknownProduct`. */
  catalogue: CatalogueProduct[];
  /** Countries (ISO 3166-1 alpha-2, any case) with tax configuration; orders for customers elsewhere are rejected with `taxConfigMissing`. */
  taxCountries: string[];
  /** Credit limit by CRM account id, in minor units. */
  creditLimits?: Record<string, number>;
  /** Credit limit of accounts missing from `creditLimits`, in minor units. Default: no limit. */
  defaultCreditLimitMinor?: number;
  /**
   * Largest accepted difference between an order's amount and unit price × quantity,
   * as a fraction of the latter (0 = exact). Default: no price check, because CRM
   * deals often carry negotiated prices.
   */
  pricingTolerance?: number;
  /** Transient faults to inject. Default: none. */
  faults?: FaultProfile;
  /** Bearer token every request must carry. Default: no authentication. */
  token?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** JSON file that keeps documents and idempotency records across restarts. Default: memory only. */
  stateFile?: string;
  /** Fastify's logger. Default: no logging. */
  logger?: FastifyBaseLogger;
}
