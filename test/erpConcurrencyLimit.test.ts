import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../src/effects/concurrencyLimit.ts';

/** Creates a promise with its resolve and reject exposed, so the test decides when work ends. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('runs at most max at once', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];

    const runs = gates.map((gate, i) =>
      limit.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await flush();
    const startedBeforeRelease = [...started];
    const pendingBeforeRelease = limit.pending;
    gates[0]!.resolve();
    await flush();

    expect(startedBeforeRelease).toEqual([0, 1]);
    expect(pendingBeforeRelease).toBe(1);
    expect(started).toEqual([0, 1, 2]);
    expect(limit.active).toBe(2);
    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(limit.active).toBe(0);
  });

  it('releases the slot when the function throws', async () => {
    const limit = new ConcurrencyLimit(1);

    const failed = await limit.run(async () => {
      throw new Error('boom');
    }).catch((e: Error) => e.message);
    const next = await limit.run(async () => 'ran');

    expect(failed).toBe('boom');
    expect(next).toBe('ran');
    expect(limit.active).toBe(0);
  });

  it('starts waiters in arrival order', async () => {
    const limit = new ConcurrencyLimit(1);
    const gate = deferred();
    const order: string[] = [];

    const first = limit.run(() => gate.promise);
    const waiters = ['a', 'b', 'c'].map((name) => limit.run(async () => void order.push(name)));
    gate.resolve();
    await Promise.all([first, ...waiters]);

    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('rejects invalid max', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(/got 0/);
    expect(() => new ConcurrencyLimit(1.5)).toThrow(/got 1.5/);
  });
});
