/** Output stream for progress: stderr in the CLI, a collecting stream in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 30;
const TTY_REDRAW_MS = 100;
const LINE_EVERY_MS = 5_000;

/**
 * Reports publishing progress: a redrawn bar with rate and ETA on a terminal, a plain
 * line every five seconds otherwise (CI logs, pipes). `finish` prints a final line.
 */
export class ReplayProgress {
  readonly #stream: ProgressStream;
  readonly #total: number;
  readonly #label: string;
  readonly #startedAt: number;
  #lastOutputAt: number;

  constructor(options: { stream: ProgressStream; total: number; label?: string; now?: number }) {
    this.#stream = options.stream;
    this.#total = options.total;
    this.#label = options.label ?? 'CRM events';
    this.#startedAt = options.now ?? performance.now();
    // Plain lines start one interval in, when the rate means something; the bar starts at once.
    this.#lastOutputAt = this.#stream.isTTY === true ? Number.NEGATIVE_INFINITY : this.#startedAt;
  }

  update(done: number, now = performance.now()): void {
    const interval = this.#stream.isTTY === true ? TTY_REDRAW_MS : LINE_EVERY_MS;
    if (now - this.#lastOutputAt < interval) return;
    this.#lastOutputAt = now;
    this.#stream.write(this.#stream.isTTY === true ? `\r${this.#bar(done, now)}` : `${this.#line(done, now)}\n`);
  }

  finish(done: number, now = performance.now()): void {
    const seconds = (now - this.#startedAt) / 1000;
    const prefix = this.#stream.isTTY === true ? '\r\x1b[2K' : '';
    this.#stream.write(`${prefix}${this.#label}: ${done} published in ${seconds.toFixed(1)} s (${formatRate(done, seconds)} msg/s)\n`);
  }

  #bar(done: number, now: number): string {
    const fraction = this.#total === 0 ? 1 : done / this.#total;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
    return `[${bar}] ${Math.floor(fraction * 100)}% ${this.#counts(done, now)}`;
  }

  #line(done: number, now: number): string {
    return `${this.#label}: ${this.#counts(done, now)}`;
  }

  #counts(done: number, now: number): string {
    const seconds = (now - this.#startedAt) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? `${Math.ceil((this.#total - done) / rate)} s` : '?';
    return `${done}/${this.#total} ${formatRate(done, seconds)} msg/s ETA ${eta}`;
  }
}

function formatRate(done: number, seconds: number): string {
  return seconds > 0 ? Math.round(done / seconds).toString() : '-';
}
