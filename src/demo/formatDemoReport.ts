import type { EntityCensus } from './entityCensus.ts';
import type { LatencySummary, OrderLatency } from './orderLatency.ts';
import type { Reconciliation } from './reconcileDemo.ts';
import type { DemoReport, DemoThroughput } from './runDemoPipeline.ts';
import type { RunComparison } from './compareRuns.ts';

/** Formats the demo report as plain text for a terminal. `httpUrl` adds curl commands when the API runs. */
export function formatDemoReport(report: DemoReport, options: { httpUrl?: string } = {}): string {
  return [
    entitiesSection(report.census),
    exceptionsSection(report.census, options.httpUrl),
    latencySection(report.latency),
    reconciliationSection(report.reconciliation),
    throughputSection(report.throughput),
    comparisonSection(report.comparison, report.throughput),
  ].join('\n');
}

function entitiesSection(census: EntityCensus): string {
  const lines = ['Entities by state'];
  for (const [entityType, states] of [...census.byState].sort(([a], [b]) => a.localeCompare(b))) {
    const total = [...states.values()].reduce((sum, count) => sum + count, 0);
    const parts = [...states].sort((a, b) => b[1] - a[1]).map(([state, count]) => `${state} ${count}`);
    lines.push(`  ${entityType.padEnd(9)} ${String(total).padStart(6)}: ${parts.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function exceptionsSection(census: EntityCensus, httpUrl: string | undefined): string {
  if (census.exceptions.length === 0) return 'Exceptions by reason\n  none\n';

  const lines = ['Exceptions by reason (one example each, and how to inspect it)'];
  for (const group of census.exceptions) {
    lines.push(`  ${group.entityType.padEnd(9)} ${group.reason.padEnd(20)} ${String(group.count).padStart(6)}   e.g. ${group.exampleKey}`);
    lines.push(`      npm exec --no -- ordo inspect ${group.entityType} ${group.exampleKey}`);
    if (httpUrl !== undefined) lines.push(`      curl ${httpUrl}/v1/entities/${group.entityType}/${encodeURIComponent(group.exampleKey)}`);
  }
  return `${lines.join('\n')}\n`;
}

function latencySection(latency: OrderLatency): string {
  return [
    'Closed-won deal -> ERP sales order latency',
    `  event time (order wonAt -> confirmedAt): ${describeLatency(latency.eventTime)}`,
    `  wall time (CRM event published -> confirmedAt): ${describeLatency(latency.wallTime, 'no order was confirmed after this run published its closed-won event')}`,
    '  The replay publishes the whole history in seconds, so these times are mostly queueing',
    '  behind it; a steady CRM feed sees the ERP round trips only.',
    '',
  ].join('\n');
}

function describeLatency(summary: LatencySummary | undefined, none = 'no confirmed orders'): string {
  if (summary === undefined) return none;
  return `p50 ${formatMs(summary.p50Ms)}, p95 ${formatMs(summary.p95Ms)} over ${summary.count} orders`;
}

function reconciliationSection(reconciliation: Reconciliation): string {
  const r = reconciliation;
  const missing = [...r.missingByState.values()].reduce((sum, count) => sum + count, 0);
  const lines = [
    'Reconciliation: won deals in the CSV against ERP documents',
    `  won deals with a known account and product: ${r.wonValid}`,
    `  ERP sales orders: ${r.salesOrders}, ERP invoices: ${r.invoices}`,
    `  duplicates (ERP documents per order > 1): ${r.duplicateSalesOrders.length} sales orders, ${r.duplicateInvoices.length} invoices${listSome(r.duplicateSalesOrders.concat(r.duplicateInvoices))}`,
    `  won and valid without an ERP sales order: ${missing}, ${r.missingUnexplained.length} of them not in an exception state${listSome(r.missingUnexplained)}`,
  ];
  for (const [state, count] of [...r.missingByState].sort((a, b) => b[1] - a[1])) lines.push(`      ${state}: ${count}`);
  lines.push(`  won deals with a product missing from the catalogue: ${r.unknownProductWon}, ${r.unknownProductInException} of them in an exception state`);
  lines.push(`  ERP sales orders for deals that are not won and valid: ${r.unexpectedSalesOrders.length}${listSome(r.unexpectedSalesOrders)}`);
  if (r.outsideReplay > 0) lines.push(`  ERP documents of opportunities outside this replay (earlier runs): ${r.outsideReplay}`);
  return `${lines.join('\n')}\n`;
}

function throughputSection(throughput: DemoThroughput): string {
  const seconds = throughput.elapsedMs / 1000;
  return [
    'Throughput',
    `  CRM events published: ${throughput.crmEvents} in ${formatMs(throughput.publishMs)} (${rate(throughput.crmEvents, throughput.publishMs)} msg/s)`,
    `  inbox messages applied: ${throughput.inboxMessagesApplied} in ${seconds.toFixed(1)} s until idle (${rate(throughput.inboxMessagesApplied, throughput.elapsedMs)} msg/s)`,
    '  (CRM commands plus the entities\' own messages: customer.ensureReady and its reply,',
    '  ERP results, invoice.open and invoice.issued)',
    '',
  ].join('\n');
}

function comparisonSection(comparison: RunComparison, throughput: DemoThroughput): string {
  const title = comparison.entitiesBefore === 0 ? 'First run (the data folder was empty)' : 'Second run (the data folder held an earlier run)';
  const lines = [
    `${title}, compared with the data folder before this replay`,
    `  ${comparison.newErpDocuments} new ERP documents (${comparison.erpDocumentsBefore} before), ${comparison.newEntities} new entities, ${comparison.changedEntities} entities changed`,
  ];

  const nothingChanged = comparison.entitiesBefore > 0 && comparison.newEntities + comparison.changedEntities + comparison.newErpDocuments === 0;
  if (nothingChanged) {
    const skipped = throughput.crmDuplicatesDropped + throughput.outcomes.duplicate;
    lines.push(
      `  all ${throughput.crmEvents} repeated CRM events were ignored: ${throughput.crmDuplicatesDropped} dropped by JetStream within its duplicate window, ` +
        `${throughput.outcomes.duplicate} skipped by entities as known message ids, ${Math.max(0, throughput.crmEvents - skipped)} taken as stale updates that changed nothing`,
    );
  } else {
    lines.push(`  ${throughput.crmDuplicatesDropped} CRM events dropped by JetStream as repeats; entities skipped ${throughput.outcomes.duplicate} messages as known message ids`);
  }
  lines.push(`  ${comparison.touchedOnly} existing entities took messages that left their state and context unchanged`, '');
  return lines.join('\n');
}

function listSome(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  const firstKeys = keys.slice(0, 5).join(', ');
  return ` (${firstKeys}${keys.length > 5 ? ', ...' : ''})`;
}

function rate(count: number, ms: number): string {
  return ms > 0 ? String(Math.round((count * 1000) / ms)) : '-';
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
