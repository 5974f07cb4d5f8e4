import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from '../src/effects/circuitBreaker.ts';

function breakerWithClock(failureThreshold = 3, openMs = 10_000) {
  const clock = { nowMs: 0 };
  const breaker = new CircuitBreaker({ failureThreshold, openMs, now: () => clock.nowMs });
  const changes: Array<[CircuitState, CircuitState]> = [];
  breaker.onStateChange((state, previous) => changes.push([state, previous]));
  return { breaker, clock, changes };
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) {
    expect(breaker.canRequest()).toBe(true);
    breaker.recordFailure();
  }
}

describe('CircuitBreaker', () => {
  it('opens after threshold consecutive failures', () => {
    const { breaker, changes } = breakerWithClock(3);

    fail(breaker, 2);
    const stateBeforeThreshold = breaker.state;
    fail(breaker, 1);

    expect(stateBeforeThreshold).toBe('closed');
    expect(breaker.state).toBe('open');
    expect(breaker.canRequest()).toBe(false);
    expect(changes).toEqual([['open', 'closed']]);
  });

  it('success resets the failure count', () => {
    const { breaker } = breakerWithClock(3);

    fail(breaker, 2);
    breaker.recordSuccess();
    fail(breaker, 2);

    expect(breaker.state).toBe('closed');
  });

  it('reports time until half-open', () => {
    const { breaker, clock } = breakerWithClock(1, 10_000);
    clock.nowMs = 1_000;

    fail(breaker, 1);
    clock.nowMs = 4_000;

    expect(breaker.msUntilHalfOpen()).toBe(7_000);
    clock.nowMs = 11_000;
    expect(breaker.msUntilHalfOpen()).toBe(0);
  });

  it('half-opens after openMs and admits one probe', () => {
    const { breaker, clock, changes } = breakerWithClock(1, 10_000);
    fail(breaker, 1);

    clock.nowMs = 9_999;
    const beforeOpenMs = breaker.canRequest();
    clock.nowMs = 10_000;
    const probe = breaker.canRequest();
    const second = breaker.canRequest();

    expect(beforeOpenMs).toBe(false);
    expect(probe).toBe(true);
    expect(second).toBe(false);
    expect(breaker.state).toBe('halfOpen');
    expect(changes).toEqual([
      ['open', 'closed'],
      ['halfOpen', 'open'],
    ]);
  });

  it('successful probe closes the circuit', () => {
    const { breaker, clock } = breakerWithClock(1, 100);
    fail(breaker, 1);
    clock.nowMs = 100;

    expect(breaker.canRequest()).toBe(true);
    breaker.recordSuccess();

    expect(breaker.state).toBe('closed');
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.canRequest()).toBe(true);
  });

  it('failed probe reopens for another openMs', () => {
    const { breaker, clock } = breakerWithClock(1, 100);
    fail(breaker, 1);
    clock.nowMs = 150;

    expect(breaker.canRequest()).toBe(true);
    breaker.recordFailure();

    expect(breaker.state).toBe('open');
    expect(breaker.msUntilHalfOpen()).toBe(100);
    clock.nowMs = 250;
    expect(breaker.canRequest()).toBe(true);
  });

  it('late results while open change nothing', () => {
    const { breaker, clock } = breakerWithClock(1, 100);
    fail(breaker, 1);

    breaker.recordSuccess();
    breaker.recordFailure();
    clock.nowMs = 50;

    expect(breaker.state).toBe('open');
    expect(breaker.msUntilHalfOpen()).toBe(50);
  });

  it('removed listener hears nothing', () => {
    const { breaker } = breakerWithClock(1);
    const heard: CircuitState[] = [];
    const remove = breaker.onStateChange((state) => heard.push(state));

    remove();
    fail(breaker, 1);

    expect(heard).toEqual([]);
  });

  it('rejects invalid options', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1, now: Date.now })).toThrow(/got 0/);
    expect(() => new CircuitBreaker({ failureThreshold: 1, openMs: -1, now: Date.now })).toThrow(/got -1/);
  });
});
