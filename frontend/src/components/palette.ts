/** Distinct colours for clusters, event clues and objects (Sasha Trubetskoy's list). */
export const PALETTE: readonly string[] = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#469990',
  '#9a6324',
  '#800000',
  '#000075',
];

/** The colour of the n-th item (0-based), cycling through the palette. */
export const paletteColor = (index: number): string => PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
