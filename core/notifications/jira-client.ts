import { UpstreamError } from '../errors';
import { own } from '../untrusted';

/**
 * An Atlassian Document Format document, the only body REST v3 takes for a comment
 * (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/).
 */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  attrs?: Record<string, unknown>;
}

/** A transition the issue's workflow allows from its status now (GET …/transitions, `transitions[]`). */
export interface JiraTransition {
  id: string;
  name: string;
  to: { id: string; name: string };
}

export interface JiraApiOptions {
  /** https://your-site.atlassian.net, or the sandbox emulator; asked per request. */
  baseUrl: () => string;
  /** The Atlassian account's e-mail and API token: Basic auth (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/). */
  email: string;
  apiToken: string;
  timeoutMs?: number;
  /** How often a 429 is waited out before giving up (default 2); never longer than `maxWaitSeconds` each. */
  retriesOn429?: number;
  maxWaitSeconds?: number;
  /** For tests: how to wait. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The Jira Cloud REST v3 calls replies need (https://developer.atlassian.com/cloud/jira/platform/rest/v3/):
 * - POST /rest/api/3/issue/{issueIdOrKey}/comment with `{ body: <ADF> }` → 201 Comment
 *   (api-group-issue-comments, "Add comment");
 * - GET /rest/api/3/issue/{issueIdOrKey}/transitions → `{ transitions: [...] }` of those allowed now,
 *   and POST the same path with `{ transition: { id } }` → 204 (api-group-issues, "Get transitions",
 *   "Transition issue").
 * Errors come as `{ errorMessages: string[], errors: { [field]: string } }` (the ErrorCollection
 * schema of the same reference); they become UpstreamError with Jira's own words as detail. A 429
 * is waited out as Retry-After says ("Rate limiting", developer.atlassian.com/cloud/jira/platform/rate-limiting/),
 * at most `retriesOn429` times.
 */
export class JiraApi {
  constructor(private readonly options: JiraApiOptions) {}

  addComment(issueKey: string, body: AdfDocument): Promise<{ id: string; self: string }> {
    return this.request('POST', `/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`, { body });
  }

  async transitions(issueKey: string): Promise<JiraTransition[]> {
    const page = await this.request<{ transitions?: JiraTransition[] }>('GET', `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`);
    return (page.transitions ?? []).map((t) => ({ id: String(t.id), name: String(t.name), to: { id: String(t.to?.id ?? ''), name: String(t.to?.name ?? t.name) } }));
  }

  async transition(issueKey: string, transitionId: string): Promise<void> {
    await this.request('POST', `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`, { transition: { id: transitionId } });
  }

  /** GET /rest/api/3/myself: whose token this is (for `een-bridge doctor`). */
  myself(): Promise<{ accountId: string; displayName: string }> {
    return this.request('GET', '/rest/api/3/myself');
  }

  /** The issue's page for people: `<site>/browse/<KEY>`. */
  browseUrl(issueKey: string): string {
    return `${this.options.baseUrl().replace(/\/+$/, '')}/browse/${encodeURIComponent(issueKey)}`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const retries = this.options.retriesOn429 ?? 2;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, body);
      } catch (err) {
        const wait = err instanceof UpstreamError && err.status === 429 ? (err.retryAfterSeconds ?? 5) : undefined;
        if (wait === undefined || attempt >= retries || wait > (this.options.maxWaitSeconds ?? 10)) throw err;
        await sleep(wait * 1000);
      }
    }
  }

  private async once<T>(method: string, path: string, body?: unknown): Promise<T> {
    const auth = Buffer.from(`${this.options.email}:${this.options.apiToken}`).toString('base64');
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl().replace(/\/+$/, '')}${path}`, {
        method,
        headers: { authorization: `Basic ${auth}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const detail = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
      throw new UpstreamError('Jira', undefined, 'upstream.unavailable', undefined, detail);
    }
    if (res.status === 204) return undefined as T;
    if (res.ok) return (await res.json()) as T;
    const detail = jiraErrorText(await res.text().catch(() => ''));
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after'));
      throw new UpstreamError('Jira', 429, 'upstream.rateLimited', Number.isFinite(seconds) && seconds >= 0 ? seconds : 5, detail);
    }
    if (res.status === 401) throw new UpstreamError('Jira', 401, 'upstream.unauthorized', undefined, detail);
    throw new UpstreamError('Jira', res.status, 'upstream.unavailable', undefined, detail);
  }
}

/** Jira's ErrorCollection as one line: its messages, then `field: problem` pairs; or the body's start. */
export function jiraErrorText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const messages = own(parsed, 'errorMessages');
    const errors = own(parsed, 'errors');
    const parts = [
      ...(Array.isArray(messages) ? messages.filter((m): m is string => typeof m === 'string') : []),
      ...(errors && typeof errors === 'object' ? Object.entries(errors).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}: ${String(v)}`) : []),
    ];
    if (parts.length > 0) return parts.join('; ').slice(0, 300);
  } catch {
    // Not JSON (a proxy's page, or Jira's plain 401): keep its start.
  }
  return body.slice(0, 200);
}
