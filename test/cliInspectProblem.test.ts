import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApiCommand } from '../src/cli/apiCommands.ts';
import type { CliIo } from '../src/cli/cliIo.ts';
import { startHttpServer, type HttpServer } from '../src/http/startHttpServer.ts';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { waitForEntity } from './support/quoteToCashWait.ts';

describe('ordo inspect of a rejected order', () => {
  let harness: QuoteToCashHarness;
  let http: HttpServer;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
    http = await startHttpServer(harness.node, { port: 0 });
  });

  afterAll(async () => {
    await http?.close();
    await harness?.close();
  });

  it('shows the rejection reason in its header', async () => {
    const { js, node } = harness;
    await publishGenericAccount(js, { id: 'evt-acc-x', occurredAt: crmTime(0) }, { accountId: 'ACC-X', name: 'Xeno Cycles', country: 'US' });
    await publishGenericOpportunity(js, { id: 'evt-opp-x', occurredAt: crmTime(1) }, {
      opportunityId: 'OPP-X', accountId: 'ACC-X', productCode: 'NO-SUCH-PRODUCT', quantity: 1, amount: usd(10_000), stage: 'closed_won',
    });
    await waitForEntity(node, 'order', 'OPP-X', 'rejected.waiting');

    let stdout = '';
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: () => undefined, env: {} };
    const code = await runApiCommand('inspect', ['order', 'OPP-X', '--url', http.url], io);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^problem +unknownProduct$/m);
    expect(stdout).toMatch(/^problem message +.*NO-SUCH-PRODUCT/m);
    expect(stdout).toMatch(/^last inbox seq +\d+$/m);
  });
});
