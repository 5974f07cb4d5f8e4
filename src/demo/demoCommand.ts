import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../config.ts';
import { createErpSimulator } from '../erp/simulator/createErpSimulator.ts';
import { createLogger } from '../log.ts';
import { startQuoteToCashNode } from '../quoteToCashNode.ts';
import { readCrmSample } from '../replay/crmSample.ts';
import { positiveInteger, replaySource } from '../replay/replayCommand.ts';
import { numberFlag } from '../startCommand.ts';
import { demoErpOptions } from './demoErpSetup.ts';
import { formatDemoReport } from './formatDemoReport.ts';
import type { Reconciliation } from './reconcileDemo.ts';
import { runDemoPipeline } from './runDemoPipeline.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bundled CRM sample the demo replays. */
export const DEMO_SAMPLE_DIR = join(PROJECT_ROOT, 'data', 'crm-sales-opportunities');

const USAGE = `Usage: ordo demo [options]

Starts nats-server, an Ordo node and the ERP simulator, replays the bundled CRM sample
(data/crm-sales-opportunities), waits until every message is applied and every effect
has run, prints a report, and keeps the HTTP API up until Ctrl-C. Running it again on
the same data folder changes nothing, and the report says so.

  --data-dir DIR         LMDB, JetStream store and ERP documents (default .ordo/demo)
  --exit                 stop after the report
  --limit N              replay the first N opportunities and the accounts they name
  --source S             CRM wire format: generic or salesforce (default generic)
  --http-port N          HTTP API port (default 8470)
  --nats-port N          embedded nats-server port (default 4222)

Logs go to stderr at level warn; set ORDO_LOG_LEVEL=info for more.
`;

/** Runs `ordo demo` and returns the exit code: 1 when reconciliation finds duplicates or unexplained gaps. */
export async function runDemoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string', default: join('.ordo', 'demo') },
      exit: { type: 'boolean', default: false },
      limit: { type: 'string' },
      source: { type: 'string', default: 'generic' },
      'http-port': { type: 'string' },
      'nats-port': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const source = replaySource(values.source);
  const limit = positiveInteger('--limit', values.limit);
  const dataDir = resolve(values['data-dir']);
  const config = resolveConfig({
    dataDir,
    nodeId: 'demo',
    natsPort: numberFlag('--nats-port', values['nats-port']),
    httpPort: numberFlag('--http-port', values['http-port']),
    logLevel: process.env.ORDO_LOG_LEVEL ?? 'warn',
  });
  const sample = readCrmSample(DEMO_SAMPLE_DIR);
  mkdirSync(dataDir, { recursive: true });

  // Listening from the start lets a signal during the replay stop the node and its embedded
  // nats-server cleanly, instead of leaving the server running without its parent.
  const signalled = waitForSignal();
  const erp = await createErpSimulator(demoErpOptions(sample, { stateFile: join(dataDir, 'erp-state.json') }));
  let running: Awaited<ReturnType<typeof startQuoteToCashNode>>;
  try {
    running = await startQuoteToCashNode({ config, log: createLogger({ level: config.logLevel, nodeId: config.nodeId }), erpUrl: erp.url, projectRoot: PROJECT_ROOT });
  } catch (error) {
    await erp.close();
    throw error;
  }

  try {
    process.stderr.write(`NATS ${running.natsUrl}, ERP simulator ${erp.url}, HTTP ${running.httpUrl}, data in ${dataDir}\n`);
    const pipeline = runDemoPipeline({ node: running.node, natsUrl: running.natsUrl, erpUrl: erp.url, sample, source, limit, progress: process.stderr });
    const report = await Promise.race([pipeline, signalled.then(() => undefined)]);
    if (report === undefined) {
      process.stderr.write('Interrupted before the report; stopping the node, nats-server and the ERP simulator.\n');
      pipeline.catch(() => undefined);
      return 130;
    }
    process.stdout.write(`\n${formatDemoReport(report, { httpUrl: running.httpUrl })}`);

    if (!values.exit) {
      process.stdout.write(`The HTTP API stays up at ${running.httpUrl}; press Ctrl-C to stop.\n`);
      await signalled;
    }
    return reconciliationFailed(report.reconciliation) ? 1 : 0;
  } finally {
    await running.stop();
    await erp.close();
  }
}

function reconciliationFailed(reconciliation: Reconciliation): boolean {
  const problems = [
    reconciliation.duplicateSalesOrders,
    reconciliation.duplicateInvoices,
    reconciliation.missingUnexplained,
    reconciliation.unexpectedSalesOrders,
  ];
  const failed = problems.some((keys) => keys.length > 0);
  if (failed) process.stderr.write('Reconciliation failed: see duplicates, unexplained gaps or unexpected sales orders in the report.\n');
  return failed;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal());
    process.once('SIGTERM', () => resolveSignal());
  });
}
