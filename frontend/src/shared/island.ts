/** Reading an island's server-rendered `json_script` payload. */

/** Logs `why` as the island's (`<island> island: why`) and returns null. */
export const islandFailure =
  (island: string) =>
  (why: string): null => {
    console.error(`${island} island: ${why}`);
    return null;
  };

/**
 * The object in the `json_script` element `script` (`#id` on the page), or
 * null, with the reason given to `fail`, when the element is missing or
 * empty, or holds no JSON object.
 */
export function readPayload(
  script: Element | null,
  id: string,
  fail: (why: string) => null,
): Record<string, unknown> | null {
  const raw = script?.textContent ?? '';
  if (raw.trim() === '') return fail(`#${id} is missing or empty`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail(`#${id} does not contain valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object') return fail(`#${id} is not an object`);
  return parsed as Record<string, unknown>;
}
