import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createErpSimulator } from './createErpSimulator.ts';
import type { FaultProfile } from './faultProfile.ts';
import type { CatalogueProduct } from './simulatorOptions.ts';

const USAGE = `Usage: ordo erp-sim --catalogue FILE [options]

  --catalogue FILE       JSON array of { productCode, name, unitPriceMinor, currency } (required)
  --tax-countries LIST   comma-separated country codes with tax configuration, e.g. US,GB (default: none)
  --host HOST            address to listen on (default 127.0.0.1)
  --port PORT            port to listen on (default 8480, where ordo start looks for the ERP;
                         0 picks any free port)
  --seed N               seed of the fault profile; faults are off without it
  --rate503 R            share of calls answered 503, 0..1 (default 0)
  --rate429 R            share of calls answered 429 with Retry-After, 0..1 (default 0)
  --hang-rate R          share of calls held for --hang-ms before processing, 0..1 (default 0)
  --hang-ms MS           how long a hanging call is held, in milliseconds (default 120000)
  --state-file FILE      keep documents in this JSON file across restarts (default: memory only)
  --token TOKEN          bearer token every request must carry (default: none)
`;

/** Runs `ordo erp-sim`: starts the simulator, prints its URL on stdout, and stops on SIGINT or SIGTERM. */
export async function runErpSimulator(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      catalogue: { type: 'string' },
      'tax-countries': { type: 'string', default: '' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8480' },
      seed: { type: 'string' },
      rate503: { type: 'string' },
      rate429: { type: 'string' },
      'hang-rate': { type: 'string' },
      'hang-ms': { type: 'string' },
      'state-file': { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });

  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.catalogue === undefined) throw new Error(`--catalogue FILE is required\n\n${USAGE}`);

  const simulator = await createErpSimulator({
    catalogue: readCatalogue(values.catalogue),
    taxCountries: values['tax-countries'].split(',').map((code) => code.trim()).filter((code) => code !== ''),
    host: values.host,
    port: parseNumber('--port', values.port),
    faults: faultsFrom(values),
    stateFile: values['state-file'],
    token: values.token,
    logger: pino({ name: 'erp-sim' }, pino.destination(2)),
  });
  process.stdout.write(`${simulator.url}\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await simulator.close();
}

function readCatalogue(file: string): CatalogueProduct[] {
  const catalogue = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(catalogue)) throw new Error(`Catalogue file ${file} must contain a JSON array of products`);
  return catalogue as CatalogueProduct[];
}

function faultsFrom(values: Record<string, string | boolean | undefined>): FaultProfile | undefined {
  if (values.seed === undefined) return undefined;

  const optional = (name: string): number | undefined => {
    const value = values[name];
    return typeof value === 'string' ? parseNumber(`--${name}`, value) : undefined;
  };
  return {
    seed: parseNumber('--seed', values.seed as string),
    rate503: optional('rate503'),
    rate429: optional('rate429'),
    hangRate: optional('hang-rate'),
    hangMs: optional('hang-ms'),
  };
}

function parseNumber(option: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`${option} must be a number, got ${JSON.stringify(value)}`);
  return number;
}
