import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareStamps, mergeFields, type FieldUpdate } from '../src/canonical/fieldVersions.ts';
import type { SourceStamp } from '../src/canonical/sourceStamp.ts';

function stamp(eventId: string, timestamp: string, version?: number, system: SourceStamp['system'] = 'salesforce'): SourceStamp {
  return version === undefined ? { system, eventId, timestamp } : { system, eventId, version, timestamp };
}

describe('mergeFields', () => {
  it('applies fields that have no stamp yet', () => {
    const result = mergeFields({}, {}, { data: { name: 'Wheelworks', country: 'USA' }, source: stamp('e1', '2024-06-01T12:00:00Z', 10) });
    expect(result.data).toEqual({ name: 'Wheelworks', country: 'USA' });
    expect(result.applied).toEqual(['name', 'country']);
    expect(result.stale).toEqual([]);
    expect(result.stamps.name?.eventId).toBe('e1');
  });

  it('keeps a newer version against an older update', () => {
    const first = mergeFields({}, {}, { data: { name: 'New' }, source: stamp('e2', '2024-06-01T12:00:00Z', 20) });
    const second = mergeFields(first.data, first.stamps, { data: { name: 'Old', sector: 'Retail' }, source: stamp('e1', '2024-06-01T13:00:00Z', 10) });
    expect(second.data).toEqual({ name: 'New', sector: 'Retail' });
    expect(second.stale).toEqual(['name']);
    expect(second.applied).toEqual(['sector']);
  });

  it('prefers version over a later timestamp', () => {
    const newer = stamp('e2', '2024-06-01T10:00:00Z', 20);
    const olderButLaterClock = stamp('e1', '2024-06-01T11:00:00Z', 10);
    expect(compareStamps(newer, olderButLaterClock)).toBeGreaterThan(0);
  });

  it('orders one commit by sequence', () => {
    const create = { ...stamp('e1', '2024-06-01T10:00:00Z', 20), sequence: 1 };
    const update = { ...stamp('e2', '2024-06-01T10:00:00Z', 20), sequence: 2 };
    const first = mergeFields({}, {}, { data: { stage: 'engaging' }, source: create });
    const second = mergeFields(first.data, first.stamps, { data: { stage: 'closed_won' }, source: update });
    expect(second.data.stage).toBe('closed_won');
    expect(second.applied).toEqual(['stage']);
  });

  it('compares timestamps when a side has no version', () => {
    const first = mergeFields({}, {}, { data: { amount: 2 }, source: stamp('12', '2024-06-01T12:00:02Z', undefined, 'hubspot') });
    const second = mergeFields(first.data, first.stamps, { data: { amount: 1 }, source: stamp('11', '2024-06-01T12:00:01Z', undefined, 'hubspot') });
    expect(second.data.amount).toBe(2);
    expect(second.stale).toEqual(['amount']);
  });

  it('compares timestamps across systems', () => {
    const salesforce = stamp('sf-1', '2024-06-01T12:00:00Z', 9_000_000);
    const generic = stamp('g-1', '2024-06-01T12:00:01Z', 3, 'generic');
    expect(compareStamps(generic, salesforce)).toBeGreaterThan(0);
  });

  it('counts a redelivered update as stale', () => {
    const update: FieldUpdate = { data: { name: 'A' }, source: stamp('e1', '2024-06-01T12:00:00Z', 10) };
    const first = mergeFields({}, {}, update);
    const again = mergeFields(first.data, first.stamps, update);
    expect(again.data).toEqual({ name: 'A' });
    expect(again.applied).toEqual([]);
    expect(again.stale).toEqual(['name']);
  });

  it('breaks equal positions by event id', () => {
    const a = stamp('9', '2024-06-01T12:00:00Z', undefined, 'hubspot');
    const b = stamp('10', '2024-06-01T12:00:00Z', undefined, 'hubspot');
    expect(compareStamps(b, a)).toBeGreaterThan(0);
    expect(compareStamps(a, b)).toBeLessThan(0);
    expect(compareStamps(a, { ...a })).toBe(0);
  });

  it('removes a cleared field and keeps its stamp', () => {
    const first = mergeFields({}, {}, { data: { sector: 'Retail' }, source: stamp('e1', '2024-06-01T12:00:00Z', 10) });
    const cleared = mergeFields(first.data, first.stamps, { data: { sector: null }, source: stamp('e2', '2024-06-01T12:01:00Z', 11) });
    expect(cleared.data).toEqual({});
    expect(cleared.stamps.sector?.eventId).toBe('e2');

    const late = mergeFields(cleared.data, cleared.stamps, { data: { sector: 'Retail' }, source: stamp('e1', '2024-06-01T12:00:00Z', 10) });
    expect(late.data).toEqual({});
    expect(late.stale).toEqual(['sector']);
  });

  it('leaves its inputs unchanged', () => {
    const current = { name: 'A' };
    const stamps = { name: stamp('e1', '2024-06-01T12:00:00Z', 10) };
    mergeFields(current, stamps, { data: { name: 'B' }, source: stamp('e2', '2024-06-01T12:01:00Z', 11) });
    expect(current).toEqual({ name: 'A' });
    expect(stamps.name.eventId).toBe('e1');
  });
});

// Updates of one system with distinct stamps; when versions are present, timestamps grow with them.
const updatesArbitrary = fc
  .record({
    withVersions: fc.boolean(),
    updates: fc.uniqueArray(
      fc.record({
        position: fc.integer({ min: 0, max: 10_000 }),
        data: fc.dictionary(fc.constantFrom('name', 'country', 'sector', 'amount'), fc.option(fc.integer(), { nil: null }), {
          minKeys: 1,
        }),
      }),
      { minLength: 1, maxLength: 8, selector: (update) => update.position },
    ),
  })
  .map(({ withVersions, updates }) =>
    updates.map(
      (update, index): FieldUpdate => ({
        data: update.data,
        source: {
          system: withVersions ? 'salesforce' : 'hubspot',
          eventId: `evt-${index}`,
          ...(withVersions ? { version: update.position } : {}),
          timestamp: new Date(Date.UTC(2024, 0, 1) + update.position * 1000).toISOString(),
        },
      }),
    ),
  );

function applyAll(updates: FieldUpdate[]) {
  let data: Record<string, unknown> = {};
  let stamps: Record<string, SourceStamp> = {};
  for (const update of updates) ({ data, stamps } = mergeFields(data, stamps, update));
  return { data, stamps };
}

describe('mergeFields in any order', () => {
  it('ends with the same data and stamps', () => {
    fc.assert(
      fc.property(
        updatesArbitrary.chain((updates) => fc.tuple(fc.constant(updates), fc.shuffledSubarray(updates, { minLength: updates.length }))),
        ([inOrder, shuffled]) => {
          expect(applyAll(shuffled)).toEqual(applyAll(inOrder));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('ends with the same data when updates repeat', () => {
    fc.assert(
      fc.property(
        updatesArbitrary.chain((updates) =>
          fc.tuple(fc.constant(updates), fc.array(fc.constantFrom(...updates), { minLength: updates.length, maxLength: 20 })),
        ),
        ([updates, withRepeats]) => {
          const everyUpdate = [...withRepeats, ...updates];
          expect(applyAll(everyUpdate).data).toEqual(applyAll(updates).data);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes each field from its newest update', () => {
    fc.assert(
      fc.property(updatesArbitrary, (updates) => {
        const { data } = applyAll([...updates].reverse());
        const expected: Record<string, unknown> = {};
        const byAge = [...updates].sort((a, b) => compareStamps(a.source, b.source));
        for (const update of byAge) {
          for (const [field, value] of Object.entries(update.data)) {
            if (value === null) delete expected[field];
            else expected[field] = value;
          }
        }
        expect(data).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
