/**
 * Transient faults the simulator injects into document calls. Rates are
 * probabilities per call; `hangRate + rate503 + rate429` must not exceed 1.
 */
export interface FaultProfile {
  /** Seeds the PRNG: the same seed and the same calls in the same order give the same faults. */
  seed: number;
  /** Extra delay drawn uniformly from [min, max] milliseconds for every call. */
  latencyMs?: [number, number];
  rate503?: number;
  rate429?: number;
  /** `Retry-After` of 429 responses, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Share of calls held for `hangMs` before being processed. */
  hangRate?: number;
  /** How long a hanging call is held, in milliseconds. Default 120_000, longer than any client timeout. */
  hangMs?: number;
  /** The first N calls of each operation fail with 503 before the random faults start. */
  failFirstN?: number;
}

export type FaultKind = 'none' | 'unavailable' | 'rateLimited' | 'hang';

export interface FaultDecision {
  kind: FaultKind;
  latencyMs: number;
  /** Set for `hang`. */
  hangMs?: number;
  /** Set for `rateLimited`. */
  retryAfterSeconds?: number;
}

const NO_FAULT: FaultDecision = { kind: 'none', latencyMs: 0 };

/** Decides each call's fault from a seeded PRNG, in the order calls arrive. */
export class FaultInjector {
  #profile: FaultProfile | undefined;
  #random: () => number = Math.random;
  #callsByOperation = new Map<string, number>();

  constructor(profile?: FaultProfile) {
    this.replace(profile);
  }

  get profile(): FaultProfile | undefined {
    return this.#profile;
  }

  /** Replaces the profile and restarts its PRNG and `failFirstN` counts. */
  replace(profile: FaultProfile | undefined): void {
    if (profile !== undefined) validateFaultProfile(profile);

    this.#profile = profile;
    this.#random = mulberry32(profile?.seed ?? 0);
    this.#callsByOperation = new Map();
  }

  decide(operation: string): FaultDecision {
    const profile = this.#profile;
    if (profile === undefined) return NO_FAULT;

    // Both draws happen on every call, so enabling one fault does not shift the others' sequence.
    const faultDraw = this.#random();
    const latencyDraw = this.#random();
    const latencyMs = drawLatency(profile.latencyMs, latencyDraw);

    const callIndex = this.#callsByOperation.get(operation) ?? 0;
    this.#callsByOperation.set(operation, callIndex + 1);
    if (callIndex < (profile.failFirstN ?? 0)) return { kind: 'unavailable', latencyMs };

    return { ...pickFault(profile, faultDraw), latencyMs };
  }
}

function pickFault(profile: FaultProfile, draw: number): Omit<FaultDecision, 'latencyMs'> {
  const hangRate = profile.hangRate ?? 0;
  const rate503 = profile.rate503 ?? 0;
  const rate429 = profile.rate429 ?? 0;

  if (draw < hangRate) return { kind: 'hang', hangMs: profile.hangMs ?? 120_000 };
  if (draw < hangRate + rate503) return { kind: 'unavailable' };
  if (draw < hangRate + rate503 + rate429) return { kind: 'rateLimited', retryAfterSeconds: profile.retryAfterSeconds ?? 1 };
  return { kind: 'none' };
}

function drawLatency(range: [number, number] | undefined, draw: number): number {
  if (range === undefined) return 0;
  const [min, max] = range;
  return Math.round(min + draw * (max - min));
}

function validateFaultProfile(profile: FaultProfile): void {
  const rates = { hangRate: profile.hangRate ?? 0, rate503: profile.rate503 ?? 0, rate429: profile.rate429 ?? 0 };
  for (const [name, rate] of Object.entries(rates)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`Fault profile ${name} must be between 0 and 1, got ${rate}`);
  }

  const total = rates.hangRate + rates.rate503 + rates.rate429;
  if (total > 1) throw new RangeError(`Fault profile hangRate + rate503 + rate429 must not exceed 1, got ${total}`);

  const latency = profile.latencyMs;
  if (latency !== undefined && !(latency[0] >= 0 && latency[1] >= latency[0])) {
    throw new RangeError(`Fault profile latencyMs must be [min, max] with 0 <= min <= max, got ${JSON.stringify(latency)}`);
  }
}

/** Mulberry32: a small 32-bit seeded PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
