/** The console's JSON API at /api/console/*; an error body's message is what the person reads. */
export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`/api/console/${path}`, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'accept-language': document.documentElement.lang, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const parsed = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!res.ok) throw new ApiError(res.status, parsed.error?.message ?? res.statusText);
  return parsed;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
