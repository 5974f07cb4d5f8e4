/** Runs at most `max` async functions at a time; the rest wait in arrival order. */
export class ConcurrencyLimit {
  readonly max: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`ConcurrencyLimit max must be an integer >= 1, got ${max}`);
    }
    this.max = max;
  }

  /** Functions running now. */
  get active(): number {
    return this.#active;
  }

  /** Functions waiting for a slot. */
  get pending(): number {
    return this.#waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#active < this.max) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  // The slot passes straight to the next waiter. If `active` dipped in between, a newcomer could take the slot and jump the queue.
  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) {
      this.#active -= 1;
      return;
    }
    next();
  }
}
