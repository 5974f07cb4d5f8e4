import type { StateValue } from 'xstate';

/** Renders a state value as one string for indexes and listings: `a`, `a.b`, or JSON when parallel. */
export function stateValueToString(value: StateValue): string {
  if (typeof value === 'string') return value;

  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [parent, child] = entries[0]!;
    return child === undefined ? parent : `${parent}.${stateValueToString(child as StateValue)}`;
  }
  return JSON.stringify(value);
}
