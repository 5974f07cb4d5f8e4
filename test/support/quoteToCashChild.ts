// A quote-to-cash node in its own process, so tests can SIGKILL it while ERP calls are in
// flight. Configured from ORDO_* env plus ORDO_ERP_URL (required) and ORDO_ERP_TIMEOUT_MS;
// prints one line "ready" on stdout once started.
import { optionsFromEnv, resolveConfig } from '../../src/config.ts';
import { startQuoteToCashNode } from '../../src/quoteToCashNode.ts';

const erpUrl = process.env.ORDO_ERP_URL;
if (!erpUrl) throw new Error('ORDO_ERP_URL is not set; pass the ERP simulator URL the node must call.');
const erpTimeoutMs = process.env.ORDO_ERP_TIMEOUT_MS === undefined ? undefined : Number(process.env.ORDO_ERP_TIMEOUT_MS);

const config = resolveConfig({ nodeId: 'q2c-child', partitions: 8, timerPollMs: 50 }, optionsFromEnv());
const running = await startQuoteToCashNode({ config, erpUrl, erpTimeoutMs, http: false });
process.stdout.write('ready\n');

const shutdown = async () => {
  await running.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
