/** Every demo request gives up after this long, so a hung service fails a step instead of the demo. */
const REQUEST_TIMEOUT_MS = 5_000;

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
