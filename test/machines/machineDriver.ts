import { createActor, initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';

/** One action `transition()` returned, reduced to what the host persists. */
export interface Effect {
  type: string;
  params: any;
}

interface PendingTimer {
  event: { type: string };
  dueMs: number;
}

export interface DriverOptions {
  key: string;
  entityType: string;
  startMs?: number;
  input?: unknown;
}

/**
 * Drives a machine the way the host does: pure `transition()` calls, `meta`
 * with increasing seq and event time, delayed events kept as timers due at
 * the event time plus the delay, and persist/restore through JSON.
 */
export class MachineDriver {
  snapshot: AnyMachineSnapshot;
  nowMs: number;
  readonly timers = new Map<string, PendingTimer>();
  private seq = 0;

  constructor(
    readonly machine: AnyStateMachine,
    private readonly options: DriverOptions,
  ) {
    this.nowMs = options.startMs ?? Date.UTC(2024, 0, 1);
    const [snapshot] = initialTransition(machine, options.input);
    this.snapshot = snapshot as AnyMachineSnapshot;
  }

  get value(): unknown {
    return this.snapshot.value;
  }

  get context(): any {
    return this.snapshot.context;
  }

  /** Applies one event at the current event time (moved forward by `advanceMs`) and returns its effects. */
  send(event: { type: string; [field: string]: unknown }, advanceMs = 1_000): Effect[] {
    this.nowMs += advanceMs;
    return this.apply(event);
  }

  /** Fires the timer that is due first, at its due time, and returns the effects. */
  fireNextTimer(): Effect[] {
    const [id, timer] = [...this.timers.entries()].sort((left, right) => left[1].dueMs - right[1].dueMs)[0] ?? [];
    if (id === undefined || timer === undefined) {
      throw new Error('no timer is pending');
    }

    this.timers.delete(id);
    this.nowMs = Math.max(this.nowMs, timer.dueMs);
    return this.apply(timer.event);
  }

  /** Persists the snapshot as JSON and restores it the way the host does after a restart. */
  restore(): void {
    const persisted = JSON.parse(JSON.stringify(this.machine.getPersistedSnapshot(this.snapshot)));
    this.snapshot = createActor(this.machine, { snapshot: persisted }).getSnapshot();
  }

  private apply(event: { type: string }): Effect[] {
    this.seq += 1;
    const meta = {
      seq: this.seq,
      msgId: `msg-${this.seq}`,
      time: new Date(this.nowMs).toISOString(),
      timeMs: this.nowMs,
      partition: 0,
      key: this.options.key,
      entityType: this.options.entityType,
    };

    const [next, actions] = transition(this.machine, this.snapshot, { ...event, meta } as never);
    if (next.status === 'error') {
      throw next.error;
    }
    this.snapshot = next as AnyMachineSnapshot;
    return this.collect(actions as Effect[]);
  }

  private collect(actions: Effect[]): Effect[] {
    const effects: Effect[] = [];

    for (const action of actions) {
      if (action.type === 'xstate.raise' && action.params.delay !== undefined) {
        this.timers.set(action.params.id, { event: action.params.event, dueMs: this.nowMs + action.params.delay });
      } else if (action.type === 'xstate.cancel') {
        this.timers.delete(action.params.sendId);
      } else {
        effects.push({ type: action.type, params: action.params });
      }
    }

    return effects;
  }
}

/** Returns the effect types in order, for exact comparisons. */
export function typesOf(effects: Effect[]): string[] {
  return effects.map((effect) => effect.type);
}

export function source(eventId: string, timestamp: string, version?: number) {
  return { system: 'generic' as const, eventId, timestamp, ...(version === undefined ? {} : { version }) };
}
