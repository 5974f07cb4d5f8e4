/** The wall clock, injected so tests can move time. Machines never read it: they use event time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
