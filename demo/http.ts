/**
 * Every demo request gives up after this long, so a hung service fails a step instead of the demo.
 * The first Teams or Slack request waits for that SDK to load (0.3-0.9 s on a quiet machine, several
 * seconds on a busy one, such as under the full test suite); each story's own limit (45 s, run.ts)
 * still bounds a step that hangs.
 */
const REQUEST_TIMEOUT_MS = 15_000;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Fails with the status and the start of the body when the answer is not the expected one. */
export function expectStatus(answer: Answer, expected: number, what: string): void {
  if (answer.status !== expected) throw new Error(`${what} answered ${answer.status}, expected ${expected}: ${answer.text.slice(0, 200)}`);
}

export function jsonOf<T>(answer: Answer): T {
  return JSON.parse(answer.text) as T;
}
