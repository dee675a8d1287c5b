/**
 * A job a person waits for (click-to-box, tracking): POST the request, which answers the queued job (202), then
 * read the job until it has ended. The answer is the job's result, or a message that says why there is none.
 */
import { detailOf, getJson, send } from './http';

export interface JobAnswer {
  id: number;
  state: string;
  error: string;
  result: Record<string, unknown>;
}

/** `job`: the job's id, which a kept answer names as its origin. */
export type JobOutcome =
  | { kind: 'ok'; job: number; result: Record<string, unknown> }
  | { kind: 'error'; message: string };

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

function isJob(value: unknown): value is JobAnswer {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && typeof v.state === 'string';
}

export interface WaitOptions {
  /** Between two reads of the job (ms). */
  intervalMs?: number;
  /** Give up waiting after this long (ms); the job itself goes on. */
  timeoutMs?: number;
  /** The clock and timer (injected by tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runJob(
  fetchImpl: typeof fetch,
  url: string,
  csrfToken: string,
  body: unknown,
  jobUrlTemplate: string,
  options: WaitOptions = {},
): Promise<JobOutcome> {
  const { intervalMs = 300, timeoutMs = 120_000, now = Date.now, sleep = defaultSleep } = options;
  const asked = await send(fetchImpl, 'POST', url, csrfToken, body);
  if (asked === null) return { kind: 'error', message: 'The server could not be reached; try again.' };
  if (!asked.ok || !isJob(asked.payload)) {
    const parts = [detailOf(asked.payload), fieldMessage(asked.payload)].filter((p): p is string => p !== null);
    return { kind: 'error', message: parts.length > 0 ? parts.join(' — ') : `The request failed (HTTP ${asked.status}).` };
  }
  let job: JobAnswer = asked.payload;
  const deadline = now() + timeoutMs;
  while (!ENDED.has(job.state)) {
    if (now() > deadline) {
      return { kind: 'error', message: 'No answer yet: is a gpu worker running? The request stays queued.' };
    }
    await sleep(intervalMs);
    const read = await getJson(fetchImpl, jobUrlTemplate.replace('{id}', String(job.id)));
    if (read !== null && read.ok && isJob(read.payload)) job = read.payload;
  }
  if (job.state !== 'succeeded') {
    return { kind: 'error', message: job.error || `The job was ${job.state}.` };
  }
  return { kind: 'ok', job: job.id, result: job.result ?? {} };
}

/** The first field message of a DRF 400 ({field: [message]} or {errors: {field: message}}). */
function fieldMessage(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  const source = (payload as Record<string, unknown>).errors ?? payload;
  if (source === null || typeof source !== 'object') return null;
  for (const [field, value] of Object.entries(source as Record<string, unknown>)) {
    if (field === 'detail') continue;
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string') return `${field}: ${text}`;
  }
  return null;
}
