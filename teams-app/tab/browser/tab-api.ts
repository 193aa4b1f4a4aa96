/** The shapes /api/tab/* answers with (teams-app/tab/tab-routes.ts). */
export interface Me { displayName: string | null; email: string | null; linked: boolean; number: string | null }
export interface PlacedCall { callId: string; target: string; state: string }
export interface CallState { callId: string; state: string }
export interface DirectoryEntry { displayName: string; extension?: string | null; number?: string | null }
export interface RecentCall { type?: 'placed' | 'received' | 'missed'; name?: string | null; phoneNumber: string; time: string }

/** /api/tab/* with the person's SSO token; an error body's message is what the person reads. */
export class TabApi {
  constructor(private readonly token: () => Promise<string>, private readonly language: string) {}

  me = () => this.request<Me>('GET', 'me');
  placeCall = (target: string) => this.request<PlacedCall>('POST', 'calls', { target });
  callState = (callId: string) => this.request<CallState>('GET', `calls/${encodeURIComponent(callId)}`);
  hangUp = (callId: string) => this.request<void>('DELETE', `calls/${encodeURIComponent(callId)}`);
  searchDirectory = (q: string) => this.request<{ entries: DirectoryEntry[] }>('GET', `directory?q=${encodeURIComponent(q)}`);
  recent = () => this.request<{ calls: RecentCall[] }>('GET', 'recent');

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}`, 'accept-language': this.language };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`/api/tab/${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (res.status === 204) return undefined as T;
    const parsed = (await res.json()) as T & { error?: { message?: string } };
    if (!res.ok) throw new Error(parsed.error?.message ?? res.statusText);
    return parsed;
  }
}
