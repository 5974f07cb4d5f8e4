import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** One row of `accounts.csv`. The dataset names accounts and has no account ids. */
export interface SampleAccount {
  name: string;
  sector: string;
  /** Annual revenue in USD millions, as decimal text (`"1100.04"`). */
  revenueMillions: string;
  officeLocation: string;
  /** Name of the parent account, or undefined. */
  subsidiaryOf: string | undefined;
}

/** One row of `products.csv`. */
export interface SampleProduct {
  name: string;
  series: string;
  /** List price in whole USD, as decimal text. */
  salesPrice: string;
}

export type SampleDealStage = 'Prospecting' | 'Engaging' | 'Won' | 'Lost';

/** One row of `sales_pipeline.csv`. Empty cells become undefined. */
export interface SampleOpportunity {
  opportunityId: string;
  salesAgent: string;
  /** Product name as the pipeline spells it (`GTXPro`, where the catalogue says `GTX Pro`). */
  product: string;
  account: string | undefined;
  dealStage: SampleDealStage;
  /** `YYYY-MM-DD`; absent on Prospecting rows. */
  engageDate: string | undefined;
  /** `YYYY-MM-DD`; present on Won and Lost rows only. */
  closeDate: string | undefined;
  /** Deal value in whole USD, as decimal text; `0` on lost deals, absent on open ones. */
  closeValue: string | undefined;
}

/** The CRM sample: accounts, products and opportunities in file order. */
export interface CrmSample {
  accounts: SampleAccount[];
  products: SampleProduct[];
  opportunities: SampleOpportunity[];
}

const DEAL_STAGES = new Set<string>(['Prospecting', 'Engaging', 'Won', 'Lost']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type CsvRow = Record<string, string>;

/** Reads `accounts.csv`, `products.csv` and `sales_pipeline.csv` from `dir`. CRLF and LF line ends both work. */
export function readCrmSample(dir: string): CrmSample {
  return {
    accounts: readCsv(dir, 'accounts.csv', ['account', 'sector', 'revenue', 'office_location', 'subsidiary_of']).map(toAccount),
    products: readCsv(dir, 'products.csv', ['product', 'series', 'sales_price']).map(toProduct),
    opportunities: readCsv(dir, 'sales_pipeline.csv', [
      'opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value',
    ]).map((row, index) => toOpportunity(row, `sales_pipeline.csv line ${index + 2}`)),
  };
}

/** Parses CSV text with a header row into records keyed by column name; checks that `columns` are present. */
export function parseCsv(text: string, file: string, columns: readonly string[]): CsvRow[] {
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as CsvRow[];
  const header = rows[0] === undefined ? [] : Object.keys(rows[0]);
  const missing = columns.filter((column) => !header.includes(column));
  if (rows.length > 0 && missing.length > 0) {
    throw new Error(`${file} has no column ${missing.map((column) => JSON.stringify(column)).join(', ')}; expected a header with ${columns.join(', ')}`);
  }
  return rows;
}

function readCsv(dir: string, file: string, columns: readonly string[]): CsvRow[] {
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new Error(`Cannot read ${path}: ${(cause as Error).message}; pass the folder holding the CRM sample CSVs`, { cause });
  }
  return parseCsv(text, path, columns);
}

function toAccount(row: CsvRow): SampleAccount {
  return {
    name: row.account!,
    sector: row.sector!,
    revenueMillions: row.revenue!,
    officeLocation: row.office_location!,
    subsidiaryOf: optional(row.subsidiary_of),
  };
}

function toProduct(row: CsvRow): SampleProduct {
  return { name: row.product!, series: row.series!, salesPrice: row.sales_price! };
}

/** Converts one pipeline row, rejecting stages and dates the event builder cannot order. */
export function toOpportunity(row: CsvRow, where: string): SampleOpportunity {
  const dealStage = row.deal_stage ?? '';
  if (!DEAL_STAGES.has(dealStage)) {
    throw new Error(`${where}: deal_stage ${JSON.stringify(dealStage)} is not one of ${[...DEAL_STAGES].join(', ')}`);
  }

  const opportunity: SampleOpportunity = {
    opportunityId: row.opportunity_id!,
    salesAgent: row.sales_agent!,
    product: row.product!,
    account: optional(row.account),
    dealStage: dealStage as SampleDealStage,
    engageDate: optionalDay(row.engage_date, `${where}: engage_date`),
    closeDate: optionalDay(row.close_date, `${where}: close_date`),
    closeValue: optional(row.close_value),
  };
  const closed = dealStage === 'Won' || dealStage === 'Lost';
  if (closed && opportunity.closeDate === undefined) {
    throw new Error(`${where}: ${dealStage} deal ${opportunity.opportunityId} has no close_date; closed deals need the day they closed`);
  }
  return opportunity;
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function optionalDay(value: string | undefined, where: string): string | undefined {
  const day = optional(value);
  if (day !== undefined && (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) {
    throw new Error(`${where} is ${JSON.stringify(day)}; expected a day YYYY-MM-DD`);
  }
  return day;
}
