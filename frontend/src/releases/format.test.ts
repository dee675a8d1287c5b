import { describe, expect, it } from 'vitest';
import { formatCount, formatDecimal, formatFraction, formatPercent, share } from './format';

describe('release number formats', () => {
  it('writes counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(1638000)).toBe('1,638,000');
  });

  it('writes percentages with one decimal', () => {
    expect(formatPercent(66.666)).toBe('66.7%');
    expect(formatPercent(100)).toBe('100.0%');
    expect(formatFraction(0.66666)).toBe('66.7%');
    expect(formatFraction(0)).toBe('0.0%');
    expect(formatFraction(1)).toBe('100.0%');
  });

  it('writes errors with two decimals, and shares of a whole', () => {
    expect(formatDecimal(1.2345)).toBe('1.23');
    expect(formatDecimal(1234.5)).toBe('1,234.50');
    expect(share(1, 3)).toBe('33.3%');
    expect(share(0, 0)).toBe('0.0%');
  });
});
