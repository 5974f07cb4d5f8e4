import type { EntityRecord } from '../store/records.ts';

interface ExceptionContext {
  problem?: { reason?: string };
  rejection?: { reason?: string };
}

type ReasonRule = (context: ExceptionContext) => string;

const fromProblem = (fallback: string): ReasonRule => (context) => context.problem?.reason ?? fallback;
const fromRejection = (fallback: string): ReasonRule => (context) => context.rejection?.reason ?? fallback;
const fixed = (reason: string): ReasonRule => () => reason;

/**
 * Exception states by entity type (top-level state name) and how to read the reason
 * from the context. These are the states in which an entity waits for someone to act.
 */
const EXCEPTION_STATES: Readonly<Record<string, Readonly<Record<string, ReasonRule>>>> = {
  order: {
    rejected: fromProblem('rejected'),
    needsAccount: fixed('missingAccount'),
    needsResync: fixed('crmResyncRequired'),
    submitFailed: fixed('submitTimedOut'),
    invoiceFailed: fromProblem('invoiceFailed'),
    compensationFailed: fixed('compensationFailed'),
  },
  customer: {
    needsReview: fromRejection('needsReview'),
    needsResync: fixed('crmResyncRequired'),
    onCreditHold: fixed('creditHold'),
  },
  invoice: {
    rejected: fromRejection('rejected'),
    voidFailed: fixed('invoiceVoidFailed'),
  },
};

/** The exception an entity is in: its state and reason, or undefined when it is not in an exception state. */
export function entityException(record: Pick<EntityRecord, 'entityType' | 'state' | 'snapshot'>): { state: string; reason: string } | undefined {
  const topState = record.state.split('.')[0]!;
  const rule = EXCEPTION_STATES[record.entityType]?.[topState];
  if (rule === undefined) return undefined;

  const context = ((record.snapshot as { context?: ExceptionContext } | undefined)?.context ?? {}) as ExceptionContext;
  return { state: record.state, reason: rule(context) };
}
