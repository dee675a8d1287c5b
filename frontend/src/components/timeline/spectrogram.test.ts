import { describe, expect, it } from 'vitest';
import { parseSpectrogram, spectrogramFrames, spectrogramOptions } from './spectrogram';

const json = {
  version: 1,
  duration: 0.1,
  hop_seconds: 0.05,
  frequency_max: 8000,
  bins: 3,
  columns: 2,
  db_min: -100,
  db_max: 0,
  data: [
    [1, 2, 3],
    [4, 5, 6],
  ],
};

describe('parseSpectrogram', () => {
  it('accepts the server format', () => {
    const spec = parseSpectrogram(json);
    expect(spec).toMatchObject({ hop_seconds: 0.05, frequency_max: 8000, bins: 3, columns: 2 });
    expect(spec.data).toEqual(json.data);
  });

  it.each([
    ['a non-object', null],
    ['no hop', { ...json, hop_seconds: 0 }],
    ['a column count that does not match', { ...json, columns: 3 }],
    ['a short column', { ...json, data: [[1, 2, 3], [4]] }],
    ['no frequency', { ...json, frequency_max: null }],
  ])('rejects %s', (_name, bad) => {
    expect(() => parseSpectrogram(bad)).toThrow(/spectrogram:/);
  });
});

describe('spectrogramFrames', () => {
  const spec = parseSpectrogram(json);

  it('pads with silent columns or cuts to cover the duration', () => {
    expect(spectrogramFrames(spec, 0.1)).toEqual(json.data);
    expect(spectrogramFrames(spec, 0.2)).toEqual([...json.data, [0, 0, 0], [0, 0, 0]]);
    expect(spectrogramFrames(spec, 0.05)).toEqual([[1, 2, 3]]);
  });
});

describe('spectrogramOptions', () => {
  it('maps the rows onto 0..frequency_max with a linear scale', () => {
    const options = spectrogramOptions(parseSpectrogram(json), 'blob:x', 100);
    expect(options).toMatchObject({
      frequenciesDataUrl: 'blob:x',
      sampleRate: 16000,
      frequencyMax: 8000,
      frequencyMin: 0,
      scale: 'linear',
      height: 100,
    });
  });
});
