/**
 * Writes one Mermaid state diagram per entity machine into docs/machines/,
 * generated from the machine definitions so the docs cannot drift from the
 * code. `--check` writes nothing and exits with status 1 when a committed
 * file differs from what the machines produce.
 *
 *   node --import tsx scripts/diagrams.ts [--check]
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { AnyStateMachine } from 'xstate';

import { customerExceptionReasons, customerMachine } from '../machines/customerMachine.ts';
import { invoiceExceptionReasons, invoiceMachine } from '../machines/invoiceMachine.ts';
import { orderExceptionReasons, orderMachine } from '../machines/orderMachine.ts';

interface DiagramSource {
  entityType: string;
  machine: AnyStateMachine;
  sourceFile: string;
  exceptionReasons: readonly string[];
}

export const diagramSources: readonly DiagramSource[] = [
  { entityType: 'customer', machine: customerMachine, sourceFile: 'machines/customerMachine.ts', exceptionReasons: customerExceptionReasons },
  { entityType: 'order', machine: orderMachine, sourceFile: 'machines/orderMachine.ts', exceptionReasons: orderExceptionReasons },
  { entityType: 'invoice', machine: invoiceMachine, sourceFile: 'machines/invoiceMachine.ts', exceptionReasons: invoiceExceptionReasons },
];

export const diagramsDirectory = fileURLToPath(new URL('../docs/machines/', import.meta.url));

// The parts of XState's StateNode and TransitionDefinition the walk reads.
interface StateNodeView {
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  path: string[];
  states: Record<string, StateNodeView>;
  initial?: { target: StateNodeView[] };
  transitions: Map<string, TransitionView[]>;
  always?: TransitionView[];
}

interface TransitionView {
  eventType: string;
  delay?: string | number;
  guard?: unknown;
  target?: StateNodeView[];
  reenter: boolean;
}

/** Mermaid ids must be unique across the whole diagram, so nested states are named by their path. */
function mermaidId(node: StateNodeView): string {
  return node.path.join('_');
}

function guardLabel(guard: unknown): string {
  if (guard === undefined) {
    return '';
  }
  if (typeof guard === 'string') {
    return ` [${guard}]`;
  }
  if (typeof guard === 'object' && guard !== null && 'type' in guard) {
    return ` [${String(guard.type)}]`;
  }
  return ' [inline guard]';
}

function transitionLabel(transition: TransitionView): string {
  if (transition.delay !== undefined) {
    return `after ${transition.delay}${guardLabel(transition.guard)}`;
  }
  if (transition.eventType === '') {
    return `always${guardLabel(transition.guard)}`;
  }
  return `${transition.eventType}${guardLabel(transition.guard)}`;
}

function transitionsOf(node: StateNodeView): TransitionView[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

// Lists the lines for one state's outgoing transitions; actions-only
// transitions (no target) change no state and are left out.
function edgeLines(node: StateNodeView, indent: string): string[] {
  const lines: string[] = [];

  for (const transition of transitionsOf(node)) {
    for (const target of transition.target ?? []) {
      lines.push(`${indent}${mermaidId(node)} --> ${mermaidId(target)}: ${transitionLabel(transition)}`);
    }
  }

  return lines;
}

function stateLines(node: StateNodeView, indent: string): string[] {
  const lines: string[] = [];
  const children = Object.values(node.states);

  for (const child of children) {
    if (child.path.length > 1) {
      lines.push(`${indent}state "${child.key}" as ${mermaidId(child)}`);
    }
  }

  for (const [index, child] of children.entries()) {
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${mermaidId(child)} {`, ...stateLines(child, `${indent}  `), `${indent}}`);
    }
    if (node.type === 'parallel' && index < children.length - 1) {
      lines.push(`${indent}--`);
    }
  }

  for (const target of node.initial?.target ?? []) {
    lines.push(`${indent}[*] --> ${mermaidId(target)}`);
  }

  for (const child of children) {
    lines.push(...edgeLines(child, indent));
    if (child.type === 'final') {
      lines.push(`${indent}${mermaidId(child)} --> [*]`);
    }
  }

  return lines;
}

/** Renders a machine as a Mermaid `stateDiagram-v2` definition. */
export function renderStateDiagram(machine: AnyStateMachine): string {
  const root = machine.root as unknown as StateNodeView;
  return ['stateDiagram-v2', ...stateLines(root, '  ')].join('\n');
}

/** Renders the whole Markdown page for one machine. */
export function renderDiagramPage(source: DiagramSource): string {
  return [
    `<!-- Generated from ${source.sourceFile} by scripts/diagrams.ts; do not edit by hand.`,
    '     Regenerate with: node --import tsx scripts/diagrams.ts -->',
    '',
    `# ${source.entityType} machine`,
    '',
    `States and transitions of the \`${source.entityType}\` entity, read from the machine definition.`,
    'Labels name the event (or `after <delay>` for a durable timer, `always` for an immediate step)',
    'and the guard in brackets. Transitions that only run actions are not drawn.',
    '',
    '```mermaid',
    renderStateDiagram(source.machine),
    '```',
    '',
    '## Exception reasons',
    '',
    'Reasons of the `crm.exception.raise` effects this machine requests:',
    '',
    ...source.exceptionReasons.map((reason) => `- \`${reason}\``),
    '',
  ].join('\n');
}

export function diagramPath(source: DiagramSource): string {
  return `${diagramsDirectory}${source.entityType}.md`;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  let stale = 0;

  await mkdir(diagramsDirectory, { recursive: true });
  for (const source of diagramSources) {
    const path = diagramPath(source);
    const page = renderDiagramPage(source);
    if ((await readIfPresent(path)) === page) {
      continue;
    }

    if (check) {
      stale += 1;
      process.stderr.write(`${path} is out of date; regenerate it with: node --import tsx scripts/diagrams.ts\n`);
    } else {
      await writeFile(path, page);
      process.stdout.write(`wrote ${path}\n`);
    }
  }

  return stale === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
