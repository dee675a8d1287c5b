import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonScript as script } from './fixtures';
import { islandFailure, readPayload } from './island';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('islandFailure', () => {
  it("logs as the island's and returns null", () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(islandFailure('demo')('#demo-data is odd')).toBeNull();
    expect(error).toHaveBeenCalledWith('demo island: #demo-data is odd');
  });
});

describe('readPayload', () => {
  it('reads the JSON object', () => {
    const fail = vi.fn(() => null);
    expect(readPayload(script('{"a": [1, "<b>"]}'), 'demo-data', fail)).toEqual({ a: [1, '<b>'] });
    expect(readPayload(script('[]'), 'demo-data', fail)).toEqual([]);
    expect(fail).not.toHaveBeenCalled();
  });

  it('gives the reason to `fail` when there is no object', () => {
    const reasons: string[] = [];
    const fail = (why: string): null => {
      reasons.push(why);
      return null;
    };
    expect(readPayload(null, 'demo-data', fail)).toBeNull();
    expect(readPayload(script('  '), 'demo-data', fail)).toBeNull();
    expect(readPayload(script('{oops'), 'demo-data', fail)).toBeNull();
    expect(readPayload(script('null'), 'demo-data', fail)).toBeNull();
    expect(readPayload(script('"text"'), 'demo-data', fail)).toBeNull();
    expect(reasons).toEqual([
      '#demo-data is missing or empty',
      '#demo-data is missing or empty',
      '#demo-data does not contain valid JSON',
      '#demo-data is not an object',
      '#demo-data is not an object',
    ]);
  });
});
