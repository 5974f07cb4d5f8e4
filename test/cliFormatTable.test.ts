import { describe, expect, it } from 'vitest';
import { formatFields, formatTable } from '../src/cli/formatTable.ts';

describe('formatTable', () => {
  it('pads columns to the widest cell', () => {
    const text = formatTable(['KEY', 'STATE'], [['a', 'armed'], ['longer key', null]]);
    expect(text).toBe('KEY         STATE\na           armed\nlonger key  -\n');
  });

  it('aligns non-ASCII text by code points', () => {
    const lines = formatTable(['K', 'V'], [['ü', 1], ['xx', 2]]).split('\n');
    expect(lines[1]!.indexOf('1')).toBe(lines[2]!.indexOf('2'));
  });

  it('flattens line breaks in cells', () => {
    expect(formatTable(['A'], [['one\ntwo']])).toBe('A\none two\n');
  });

  it('formats fields with aligned values', () => {
    expect(formatFields([['type', 'ledger'], ['partition', 3]])).toBe('type       ledger\npartition  3\n');
  });
});
