/** Numbers as the release page writes them (English, thousands separators). */

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const TWO_DECIMALS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1234 -> "1,234". */
export function formatCount(n: number): string {
  return INTEGER.format(n);
}

/** A percentage already in percent: 66.666 -> "66.7%". */
export function formatPercent(percent: number): string {
  return `${ONE_DECIMAL.format(percent)}%`;
}

/** A fraction in [0, 1] as a percentage: 0.66666 -> "66.7%". */
export function formatFraction(fraction: number): string {
  return formatPercent(fraction * 100);
}

/** A figure such as a mean absolute error: 1.2345 -> "1.23", 1234.5 -> "1,234.50". */
export function formatDecimal(n: number): string {
  return TWO_DECIMALS.format(n);
}

/** `part` of `whole` in percent, one decimal; "0.0%" of nothing. */
export function share(part: number, whole: number): string {
  return formatPercent(whole > 0 ? (100 * part) / whole : 0);
}
