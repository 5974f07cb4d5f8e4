import { TIMER_HEADER } from './inboxApplier.ts';
import { encodeKeyToken } from './keys.ts';
import type { Logger } from './log.ts';
import type { Publisher } from './publisher.ts';
import type { OrdoStore } from './store/ordoStore.ts';
import type { TimerRow } from './store/records.ts';
import type { Clock } from './clock.ts';

const DUE_BATCH = 500;
// A fired timer stays stored until its message is applied; fire it again only
// if that has not happened after this long (the repeat has the same message id).
const REFIRE_AFTER_MS = 30_000;

/**
 * Publishes due timers into the inbox. The timer row is deleted when its message
 * is applied (in the same transaction), and a cancelled timer's message is
 * recognised as stale then, so a timer fires once and never after a cancel.
 */
export class TimerService {
  readonly #fired = new Map<string, number>();
  #interval: NodeJS.Timeout | undefined;
  #ticking = false;

  constructor(
    private readonly options: {
      store: OrdoStore;
      publisher: Publisher;
      clock: Clock;
      pollMs: number;
      ownsPartition: (partition: number) => boolean;
      log: Logger;
    },
  ) {}

  start(): void {
    this.#interval = setInterval(() => void this.tick(), this.options.pollMs);
  }

  stop(): void {
    clearInterval(this.#interval);
  }

  /** Publishes every due timer of owned partitions once; returns how many were published. */
  async tick(): Promise<number> {
    if (this.#ticking) return 0;
    this.#ticking = true;
    try {
      const now = this.options.clock.now();
      const due = this.options.store.dueTimers(now, DUE_BATCH).filter((timer) => this.options.ownsPartition(timer.partition));
      let published = 0;
      for (const timer of due) {
        if (await this.#fire(timer, now)) published++;
      }
      this.#forgetApplied(due);
      return published;
    } catch (error) {
      this.options.log.error({ err: error }, 'firing due timers failed, retrying on the next poll');
      return 0;
    } finally {
      this.#ticking = false;
    }
  }

  async #fire(timer: TimerRow, now: number): Promise<boolean> {
    const id = timerMessageId(timer);
    const firedAt = this.#fired.get(id);
    if (firedAt !== undefined && now - firedAt < REFIRE_AFTER_MS) return false;

    await this.options.publisher.sendToEntity({
      entityType: timer.entityType,
      key: timer.key,
      event: timer.event as { type: string },
      msgId: id,
      eventTime: new Date(timer.dueMs).toISOString(),
      extraHeaders: { [TIMER_HEADER]: `${timer.timerId}@${timer.setSeq}` },
    });
    this.#fired.set(id, now);
    return true;
  }

  #forgetApplied(stillDue: TimerRow[]): void {
    const live = new Set(stillDue.map(timerMessageId));
    for (const id of this.#fired.keys()) {
      if (!live.has(id)) this.#fired.delete(id);
    }
  }
}

/** Builds the inbox message id of a timer firing, stable for one setting of the timer. */
export function timerMessageId(timer: Pick<TimerRow, 'entityType' | 'key' | 'timerId' | 'setSeq'>): string {
  return `timer:${timer.entityType}:${encodeKeyToken(timer.key)}:${timer.timerId}@${timer.setSeq}`;
}
