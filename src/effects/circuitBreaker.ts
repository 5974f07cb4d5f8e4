export type CircuitState = 'closed' | 'open' | 'halfOpen';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before it admits a probe, in milliseconds. */
  openMs: number;
  /** Clock in epoch milliseconds. */
  now: () => number;
}

export type CircuitStateListener = (state: CircuitState, previous: CircuitState) => void;

/**
 * Stops calls to a remote system after `failureThreshold` consecutive failures.
 * After `openMs` the circuit becomes half-open and admits one probe at a time:
 * a success closes it, a failure opens it again for another `openMs`.
 * Callers that got `canRequest() === true` must report the call's outcome with
 * `recordSuccess` or `recordFailure`, because a probe occupies the half-open slot until then.
 */
export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #openMs: number;
  readonly #now: () => number;
  readonly #listeners = new Set<CircuitStateListener>();

  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  #openedAtMs = 0;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new RangeError(`CircuitBreaker failureThreshold must be an integer >= 1, got ${options.failureThreshold}`);
    }
    if (!(options.openMs >= 0)) {
      throw new RangeError(`CircuitBreaker openMs must be a non-negative number of milliseconds, got ${options.openMs}`);
    }

    this.#failureThreshold = options.failureThreshold;
    this.#openMs = options.openMs;
    this.#now = options.now;
  }

  /** The current state; an open circuit whose `openMs` has passed reads as half-open. */
  get state(): CircuitState {
    this.#halfOpenIfDue();
    return this.#state;
  }

  /** Returns whether a call may go ahead now; in half-open state this takes the single probe slot. */
  canRequest(): boolean {
    this.#halfOpenIfDue();

    if (this.#state === 'closed') return true;
    if (this.#state === 'open' || this.#probeInFlight) return false;

    this.#probeInFlight = true;
    return true;
  }

  /** Milliseconds until an open circuit admits a probe; 0 when it is not open. */
  msUntilHalfOpen(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.#openedAtMs + this.#openMs - this.#now());
  }

  recordSuccess(): void {
    this.#consecutiveFailures = 0;

    // Only a half-open circuit closes on success. In open state the success comes from
    // a call admitted before the circuit opened, so it does not show a recovery.
    if (this.#state !== 'halfOpen') return;

    this.#probeInFlight = false;
    this.#setState('closed');
  }

  recordFailure(): void {
    if (this.#state === 'halfOpen') {
      this.#probeInFlight = false;
      this.#open();
      return;
    }
    if (this.#state === 'open') return;

    this.#consecutiveFailures += 1;
    if (this.#consecutiveFailures >= this.#failureThreshold) this.#open();
  }

  /** Registers a listener for state changes; returns a function that removes it. */
  onStateChange(listener: CircuitStateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #open(): void {
    this.#openedAtMs = this.#now();
    this.#consecutiveFailures = 0;
    this.#setState('open');
  }

  #halfOpenIfDue(): void {
    if (this.#state === 'open' && this.#now() - this.#openedAtMs >= this.#openMs) {
      this.#probeInFlight = false;
      this.#setState('halfOpen');
    }
  }

  #setState(state: CircuitState): void {
    const previous = this.#state;
    if (previous === state) return;

    this.#state = state;
    for (const listener of this.#listeners) listener(state, previous);
  }
}
