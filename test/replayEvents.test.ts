import { describe, expect, it } from 'vitest';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';
import { CREDIT_LIMIT_SHARE_OF_REVENUE, DEMO_TAX_COUNTRIES, demoCatalogue, demoCreditLimits } from '../src/demo/demoErpSetup.ts';
import { buildCrmChanges, type AccountChange, type CrmChange, type OpportunityChange } from '../src/replay/buildCrmChanges.ts';
import { toCrmMessage } from '../src/replay/crmMessage.ts';
import { parseCsv, readCrmSample, type CrmSample, type SampleOpportunity } from '../src/replay/crmSample.ts';
import { sampleAccountId, sampleAccountIds } from '../src/replay/sampleAccountId.ts';
import { speedUpTimeline } from '../src/replay/replayTimeline.ts';

const SAMPLE_DIR = new URL('../data/crm-sales-opportunities/', import.meta.url).pathname;

function opportunity(fields: Partial<SampleOpportunity> & Pick<SampleOpportunity, 'opportunityId' | 'dealStage'>): SampleOpportunity {
  return { salesAgent: 'Moses Frase', product: 'GTX Basic', account: 'Acme Corporation', engageDate: undefined, closeDate: undefined, closeValue: undefined, ...fields };
}

const SMALL: CrmSample = {
  accounts: [
    { name: 'Acme Corporation', sector: 'technolgy', revenueMillions: '1100.04', officeLocation: 'United States', subsidiaryOf: undefined },
    { name: 'Bioholding', sector: 'medical', revenueMillions: '587.34', officeLocation: 'Philipines', subsidiaryOf: undefined },
    { name: 'Bluth Company', sector: 'technolgy', revenueMillions: '1242.32', officeLocation: 'United States', subsidiaryOf: 'Acme Corporation' },
  ],
  products: [{ name: 'GTX Pro', series: 'GTX', salesPrice: '4821' }],
  opportunities: [
    opportunity({ opportunityId: 'WON1', dealStage: 'Won', product: 'GTXPro', engageDate: '2017-01-05', closeDate: '2017-03-01', closeValue: '1054' }),
    opportunity({ opportunityId: 'LOST1', dealStage: 'Lost', account: 'Bioholding', engageDate: '2016-11-02', closeDate: '2017-01-04', closeValue: '0' }),
    opportunity({ opportunityId: 'ENG1', dealStage: 'Engaging', account: undefined, engageDate: '2017-02-01' }),
    opportunity({ opportunityId: 'PRO1', dealStage: 'Prospecting', account: undefined }),
  ],
};

const byId = (changes: CrmChange[], eventId: string) => changes.find((change) => change.eventId === eventId);

function accountData(changes: CrmChange[], accountId: string): AccountChange['data'] {
  const change = byId(changes, `maven:account:${accountId}`);
  if (change?.kind !== 'account') throw new Error(`no account change for ${accountId}`);
  return change.data;
}

describe('CSV reading', () => {
  it('strips CRLF line ends and turns empty cells into undefined', () => {
    const text = 'account,sector,revenue,office_location,subsidiary_of\r\nAcme Corporation,technolgy,1100.04,United States,\r\nCheers,entertainment,4269.9,United States,Massive Dynamic\r\n';
    const rows = parseCsv(text, 'accounts.csv', ['account', 'subsidiary_of']);

    expect(rows).toHaveLength(2);
    expect(rows[0]!.subsidiary_of).toBe('');
    expect(rows[1]!.subsidiary_of).toBe('Massive Dynamic');
  });

  it('rejects a file without an expected column', () => {
    expect(() => parseCsv('name,sector\r\nAcme,retail\r\n', 'accounts.csv', ['account'])).toThrow(/no column "account"/);
  });

  it('reads the bundled sample without carriage returns', () => {
    const sample = readCrmSample(SAMPLE_DIR);

    expect(sample.accounts).toHaveLength(85);
    expect(sample.products).toHaveLength(7);
    expect(sample.opportunities).toHaveLength(8800);
    const cells = sample.opportunities.flatMap((row) => Object.values(row)).concat(sample.accounts.flatMap((row) => Object.values(row)));
    expect(cells.filter((cell) => typeof cell === 'string' && cell.includes('\r'))).toEqual([]);
    expect(sample.opportunities.filter((row) => row.dealStage === 'Won')).toHaveLength(4238);
  });
});

describe('account ids', () => {
  it('derive a slug from the name', () => {
    expect(sampleAccountId('Acme Corporation')).toBe('acct-acme-corporation');
    expect(sampleAccountId('Gekko & Co')).toBe('acct-gekko-co');
    expect(sampleAccountId('dambase')).toBe('acct-dambase');
  });

  it('reject two names with the same slug', () => {
    expect(() => sampleAccountIds(['Gekko & Co', 'Gekko Co'])).toThrow(/both give account id "acct-gekko-co"/);
  });

  it('are unique across the bundled accounts', () => {
    const names = readCrmSample(SAMPLE_DIR).accounts.map((account) => account.name);
    expect(new Set(sampleAccountIds(names).values()).size).toBe(85);
  });
});

describe('buildCrmChanges', () => {
  const { changes, dataStartMs, dataEndMs } = buildCrmChanges(SMALL);

  it('sends accounts first, then each change at its date', () => {
    expect(changes.map((change) => change.eventId)).toEqual([
      'maven:account:acct-acme-corporation',
      'maven:account:acct-bioholding',
      'maven:account:acct-bluth-company',
      'maven:LOST1:created',
      'maven:LOST1:closed',
      'maven:WON1:created',
      'maven:ENG1:created',
      'maven:PRO1:created',
      'maven:WON1:closed',
    ]);
    expect(dataStartMs).toBe(Date.parse('2016-11-02T00:00:00Z'));
    expect(dataEndMs).toBe(Date.parse('2017-03-01T00:00:00Z'));
  });

  it('dates changes by engage and close date', () => {
    expect(byId(changes, 'maven:WON1:created')!.dataTimeMs).toBe(Date.parse('2017-01-05T00:00:00Z'));
    expect(byId(changes, 'maven:WON1:closed')!.dataTimeMs).toBe(Date.parse('2017-03-01T00:00:00Z'));
    expect(byId(changes, 'maven:PRO1:created')!.dataTimeMs).toBe(dataEndMs);
    expect(byId(changes, 'maven:account:acct-bluth-company')!.dataTimeMs).toBe(dataStartMs);
  });

  it('versions a record 1 when created and 2 when closed', () => {
    expect(byId(changes, 'maven:WON1:created')!.version).toBe(1);
    expect(byId(changes, 'maven:WON1:closed')!.version).toBe(2);
  });

  it('converts money to integer cents', () => {
    const won = byId(changes, 'maven:WON1:closed') as OpportunityChange;
    const lost = byId(changes, 'maven:LOST1:closed') as OpportunityChange;

    expect(won.data.amount).toEqual({ amountMinor: 105_400, currency: 'USD' });
    expect(won.data.stage).toBe('closed_won');
    expect(lost.data.amount).toEqual({ amountMinor: 0, currency: 'USD' });
    expect(lost.data.stage).toBe('closed_lost');
    expect(accountData(changes, 'acct-acme-corporation').annualRevenue).toEqual({ amountMinor: 110_004_000_000, currency: 'USD' });
  });

  it('carries the data flaws through unchanged', () => {
    const won = byId(changes, 'maven:WON1:created') as OpportunityChange;
    const engaging = byId(changes, 'maven:ENG1:created') as OpportunityChange;

    expect(won.data.productCode).toBe('GTXPro');
    expect(accountData(changes, 'acct-bioholding').country).toBe('Philipines');
    expect(accountData(changes, 'acct-acme-corporation').country).toBe('US');
    expect(accountData(changes, 'acct-acme-corporation').sector).toBe('technolgy');
    expect(engaging.data).not.toHaveProperty('accountId');
  });

  it('fills the created change with account, product, quantity and owner', () => {
    const won = byId(changes, 'maven:WON1:created') as OpportunityChange;

    expect(won.data).toEqual({ opportunityId: 'WON1', accountId: 'acct-acme-corporation', productCode: 'GTXPro', quantity: 1, stage: 'engaging', ownerName: 'Moses Frase' });
    expect(byId(changes, 'maven:PRO1:created')!.data).toMatchObject({ stage: 'prospecting' });
    expect(accountData(changes, 'acct-bluth-company').parentAccountId).toBe('acct-acme-corporation');
  });

  it('gives the same changes on every build', () => {
    expect(buildCrmChanges(SMALL)).toEqual(buildCrmChanges(SMALL));
  });

  it('limits opportunities and keeps the accounts they name', () => {
    const limited = buildCrmChanges(SMALL, { limit: 2 });

    expect(limited.opportunities).toBe(2);
    expect(limited.changes.filter((change) => change.kind === 'account').map((change) => change.objectId)).toEqual(['acct-acme-corporation', 'acct-bioholding']);
    expect(limited.dataEndMs).toBe(dataEndMs);
  });

  it('orders the full sample by time, each deal created before it closes', () => {
    const full = buildCrmChanges(readCrmSample(SAMPLE_DIR)).changes;
    const createdAt = new Map<string, number>();

    expect(full).toHaveLength(85 + 8800 + 4238 + 2473);
    expect(new Set(full.map((change) => change.eventId)).size).toBe(full.length);
    for (let index = 1; index < full.length; index++) expect(full[index]!.dataTimeMs).toBeGreaterThanOrEqual(full[index - 1]!.dataTimeMs);
    full.forEach((change, index) => {
      if (change.kind === 'opportunityCreated') createdAt.set(change.objectId, index);
      if (change.kind === 'opportunityClosed') expect(createdAt.get(change.objectId)).toBeLessThan(index);
    });
  });
});

describe('CRM messages', () => {
  const { changes } = buildCrmChanges(SMALL);
  const closed = byId(changes, 'maven:WON1:closed')!;
  const occurredAtMs = Date.parse('2017-03-01T00:00:00Z');

  it('map to an order upsert in the generic contract', () => {
    const message = toCrmMessage(closed, 'generic', occurredAtMs);
    const result = mapCrmEvent({ source: 'generic', object: 'opportunity', objectId: 'WON1', body: message.body, msgId: message.msgId });

    expect(message.subject).toBe('crm.generic.opportunity.WON1');
    expect(message.msgId).toBe('maven:WON1:closed');
    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]!.msgId).toBe('generic:maven:WON1:closed:0');
    expect(result.commands[0]!.event).toMatchObject({
      type: 'order.upsert',
      data: { stage: 'closed_won', amount: { amountMinor: 105_400, currency: 'USD' }, closeDate: '2017-03-01' },
      source: { system: 'generic', version: 2, timestamp: '2017-03-01T00:00:00.000Z' },
    });
  });

  it('map to the same upserts as Salesforce change events', () => {
    for (const change of changes) {
      const generic = toCrmMessage(change, 'generic', occurredAtMs);
      const salesforce = toCrmMessage(change, 'salesforce', occurredAtMs);
      const object = change.kind === 'account' ? 'Account' : 'Opportunity';
      const fromGeneric = mapCrmEvent({ source: 'generic', object: object.toLowerCase(), objectId: change.objectId, body: generic.body, msgId: generic.msgId });
      const fromSalesforce = mapCrmEvent({ source: 'salesforce', object, objectId: change.objectId, body: salesforce.body, msgId: salesforce.msgId });

      const { ownerName: _ownerName, ...expected } = (fromGeneric.commands[0]!.event as { data: Record<string, unknown> }).data;
      expect(salesforce.subject).toBe(`crm.salesforce.${object}.${change.objectId}`);
      expect((fromSalesforce.commands[0]!.event as { data: unknown }).data).toEqual(expected);
      expect(fromSalesforce.commands[0]!.event).toMatchObject({ source: { system: 'salesforce', version: change.version } });
    }
  });
});

describe('speedUpTimeline', () => {
  it('maps data time onto wall time, faster by the factor', () => {
    const timeline = speedUpTimeline({ speedUp: 86_400, dataStartMs: Date.parse('2016-10-20T00:00:00Z'), wallStartMs: 1_000_000 });

    expect(timeline(Date.parse('2016-10-20T00:00:00Z'))).toEqual({ occurredAtMs: 1_000_000, publishAtMs: 1_000_000 });
    expect(timeline(Date.parse('2016-10-30T00:00:00Z'))).toEqual({ occurredAtMs: 1_010_000, publishAtMs: 1_010_000 });
  });

  it('rejects a factor that is not positive', () => {
    expect(() => speedUpTimeline({ speedUp: 0, dataStartMs: 0, wallStartMs: 0 })).toThrow(/not a positive number/);
  });
});

describe('demo ERP setup', () => {
  const sample = readCrmSample(SAMPLE_DIR);

  it('lists the catalogue products by catalogue name at list price in cents', () => {
    const catalogue = demoCatalogue(sample.products);

    expect(catalogue).toHaveLength(7);
    expect(catalogue.find((product) => product.productCode === 'GTX Pro')).toEqual({ productCode: 'GTX Pro', name: 'GTX Pro', unitPriceMinor: 482_100, currency: 'USD' });
    expect(catalogue.some((product) => product.productCode === 'GTXPro')).toBe(false);
  });

  it('configures tax for every country except the misspelt one', () => {
    const countries = new Set(buildCrmChanges(sample).changes.flatMap((change) => (change.kind === 'account' ? [change.data.country!] : [])));
    const untaxed = [...countries].filter((country) => !DEMO_TAX_COUNTRIES.includes(country));

    expect(untaxed).toEqual(['Philipines']);
  });

  it('puts some but not most accounts over their credit limit', () => {
    const limits = demoCreditLimits(sample.accounts);
    const products = new Set(sample.products.map((product) => product.name));
    const wonCents = new Map<string, number>();
    for (const deal of sample.opportunities) {
      if (deal.dealStage !== 'Won' || !products.has(deal.product)) continue;
      const id = sampleAccountId(deal.account!);
      wonCents.set(id, (wonCents.get(id) ?? 0) + Number(deal.closeValue) * 100);
    }
    const overLimit = [...wonCents].filter(([id, cents]) => cents > limits[id]!).map(([id]) => id).sort();

    // Condax: USD 4.54 million revenue, so a limit of USD 4,540.
    expect(CREDIT_LIMIT_SHARE_OF_REVENUE).toBe(0.001);
    expect(limits['acct-condax']).toBe(454_000);
    expect(overLimit).toEqual(['acct-condax', 'acct-scottech']);
  });
});
