import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { orderMachine } from '../../machines/orderMachine.ts';
import { diagramPath, diagramSources, renderDiagramPage, renderStateDiagram } from '../../scripts/diagrams.ts';

describe('machine diagrams', () => {
  it.each(diagramSources.map((source) => [source.entityType, source] as const))('%s page matches the machine', async (_type, source) => {
    const committed = await readFile(diagramPath(source), 'utf8');

    expect(committed, 'regenerate with: node --import tsx scripts/diagrams.ts').toBe(renderDiagramPage(source));
  });

  it('draws timers, guards and nested states', () => {
    const diagram = renderStateDiagram(orderMachine);

    expect(diagram).toContain('submitting --> submitTimedOut: after submitDeadline [submitTriesLeft]');
    expect(diagram).toContain('rejected_waiting --> rejected_escalated: after escalateAfter');
    expect(diagram).toContain('compensating_start --> compensating_voidingInvoice: always [invoiceToVoid]');
    expect(diagram).toContain('compensating_cancellingSalesOrder --> cancelled: erp.salesOrder.cancelled');
    expect(diagram).toContain('closed --> [*]');
  });
});
