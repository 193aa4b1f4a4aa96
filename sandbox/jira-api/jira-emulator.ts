import type { Next, Request, Response, Server } from 'restify';
import { type SystemName } from '../../core';
import { rawBodyOf } from '../../inbound';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';

/** The Atlassian account and API token of the sandbox, where JIRA_EMAIL / JIRA_API_TOKEN are not set. */
export const SANDBOX_JIRA_EMAIL = 'een-bridge@example.atlassian.net';
export const SANDBOX_JIRA_API_TOKEN = 'sandbox-jira-api-token';

/**
 * The workflow of a Jira Software "simplified" project: To Do, In Progress, Done, each reachable
 * from every other by a global transition named after its target (the ids Jira gives them: 11,
 * 21, 31). https://support.atlassian.com/jira-software-cloud/docs/what-are-the-default-workflows/
 */
const WORKFLOW = [
  { transitionId: '11', status: { id: '10000', name: 'To Do', category: 'new' } },
  { transitionId: '21', status: { id: '3', name: 'In Progress', category: 'indeterminate' } },
  { transitionId: '31', status: { id: '10001', name: 'Done', category: 'done' } },
] as const;

export interface EmulatedJiraIssue {
  id: string;
  key: string;
  status: string;
  /** The sandbox account's permissions on this issue (Jira's Browse projects, Add comments, Transition issues). */
  canBrowse: boolean;
  canComment: boolean;
  canTransition: boolean;
  comments: { id: string; body: unknown; created: string }[];
}

/**
 * Jira Cloud REST v3 under /sandbox/jira/rest/api/3/…, as
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/ documents it:
 * - POST issue/{issueIdOrKey}/comment `{ body: ADF }` → 201 Comment; a body that is not an ADF
 *   document → 400 (api-group-issue-comments, "Add comment"; ADF: …/apis/document/structure/);
 * - GET issue/{issueIdOrKey}/transitions → `{ expand, transitions: [{ id, name, to, hasScreen, isGlobal, … }] }`;
 *   POST with `{ transition: { id } }` → 204, an id not offered now → 400 (api-group-issues, "Transition issue");
 * - GET myself.
 * Errors are Jira's ErrorCollection `{ errorMessages: [], errors: {} }`. Without Basic auth of the
 * sandbox account → 401; an issue one may not browse is "not found" (404, as Jira hides it); no
 * comment or transition permission → 403. Issues are made on first mention (`issue(key)`, or a
 * request about an issue of `projects`), as the sandbox has no Jira to create them in.
 */
export class JiraEmulator implements Emulator {
  readonly name = 'jira';
  readonly serves: readonly SystemName[] = ['jiraApi'];
  readonly log = new RequestLog();
  readonly issues = new Map<string, EmulatedJiraIssue>();
  /**
   * Projects whose issues exist as soon as they are asked for: the sandbox's Jira webhooks (demo,
   * console) name issues no Jira made, and a reply to one must find it. Any other key is not found.
   */
  readonly projects = new Set(['KAN']);
  private nextId = 10_000;
  /** Answers to give the next requests instead of the real one (429 with Retry-After, 5xx). */
  readonly faults: { status: number; retryAfter?: number }[] = [];

  /** The issue with this key, made (status To Do, all permissions) if the sandbox has not seen it. */
  issue(key: string): EmulatedJiraIssue {
    let issue = this.issues.get(key);
    if (!issue) {
      issue = { id: String(this.nextId++), key, status: 'To Do', canBrowse: true, canComment: true, canTransition: true, comments: [] };
      this.issues.set(key, issue);
    }
    return issue;
  }

  mount(server: Server, base: string): void {
    const api = `${base}/rest/api/3`;
    const record = recordInto(this.log);
    const auth = (req: Request, res: Response, next: Next): void => {
      const expected = `Basic ${Buffer.from(`${SANDBOX_JIRA_EMAIL}:${SANDBOX_JIRA_API_TOKEN}`).toString('base64')}`;
      // Jira Cloud answers a request without valid credentials 401 with this sentence.
      if (req.headers.authorization !== expected) return this.fail(res, 401, ['Client must be authenticated to access this resource.'], {}, next);
      const fault = this.faults.shift();
      if (fault) {
        if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
        return this.fail(res, fault.status, [fault.status === 429 ? 'Rate limit exceeded.' : 'Internal server error.'], {}, next);
      }
      next();
    };
    const route = (handler: (req: Request, res: Response) => void) => [record, auth, (req: Request, res: Response, next: Next) => {
      handler(req, res);
      next();
    }];
    /** The issue by key or id, or the 404 Jira gives both for a missing one and one the caller may not browse. */
    const visible = (req: Request, res: Response): EmulatedJiraIssue | undefined => {
      const ref = String(req.params.issueIdOrKey);
      const project = /^([A-Z][A-Z0-9]{1,9})-[1-9][0-9]{0,8}$/.exec(ref)?.[1];
      const issue = this.issues.get(ref) ?? [...this.issues.values()].find((i) => i.id === ref) ?? (project && this.projects.has(project) ? this.issue(ref) : undefined);
      if (!issue || !issue.canBrowse) {
        this.fail(res, 404, ['Issue does not exist or you do not have permission to see it.']);
        return undefined;
      }
      return issue;
    };

    server.get(`${api}/myself`, ...route((_req, res) => {
      res.send(200, { accountId: '5b10ac8d82e05b22cc7d4ef5', emailAddress: SANDBOX_JIRA_EMAIL, displayName: 'een-bridge', active: true, accountType: 'atlassian' });
    }));

    server.post(`${api}/issue/:issueIdOrKey/comment`, ...route((req, res) => {
      const issue = visible(req, res);
      if (!issue) return;
      const body = jsonBody(req);
      if (body === undefined) return this.fail(res, 400, ['Unexpected character in the request body.']);
      const adf = (body as { body?: unknown }).body;
      const problem = adfProblem(adf);
      if (problem) return this.fail(res, 400, [], { comment: problem });
      if (!issue.canComment) return this.fail(res, 403, ['You do not have the permission to comment on this issue.']);
      const now = new Date().toISOString().replace('Z', '+0000');
      const comment = { id: String(this.nextId++), body: adf, created: now };
      issue.comments.push(comment);
      const self = `${requestOrigin(req)}${api}/issue/${issue.id}/comment/${comment.id}`;
      const author = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'een-bridge', active: true };
      res.send(201, { self, id: comment.id, author, body: adf, updateAuthor: author, created: now, updated: now, jsdPublic: true });
    }));

    server.get(`${api}/issue/:issueIdOrKey/transitions`, ...route((req, res) => {
      const issue = visible(req, res);
      if (!issue) return;
      // Only what the caller may do now: none without the Transition issues permission.
      const offered = issue.canTransition ? WORKFLOW.filter((w) => w.status.name !== issue.status) : [];
      res.send(200, {
        expand: 'transitions',
        transitions: offered.map((w) => ({
          id: w.transitionId,
          name: w.status.name,
          to: { self: '', description: '', iconUrl: '', name: w.status.name, id: w.status.id, statusCategory: { id: 2, key: w.status.category, colorName: 'blue-gray', name: w.status.name } },
          hasScreen: false,
          isGlobal: true,
          isInitial: false,
          isAvailable: true,
          isConditional: false,
          isLooped: false,
        })),
      });
    }));

    server.post(`${api}/issue/:issueIdOrKey/transitions`, ...route((req, res) => {
      const issue = visible(req, res);
      if (!issue) return;
      const body = jsonBody(req);
      const id = (body as { transition?: { id?: unknown } } | undefined)?.transition?.id;
      if (typeof id !== 'string' && typeof id !== 'number') return this.fail(res, 400, ['Missing transition ID or name.']);
      if (!issue.canTransition) return this.fail(res, 403, ['You do not have permission to transition this issue.']);
      const target = WORKFLOW.find((w) => w.transitionId === String(id) && w.status.name !== issue.status);
      if (!target) return this.fail(res, 400, [`Transition id '${String(id)}' is not valid for this issue.`]);
      issue.status = target.status.name;
      res.send(204);
    }));
  }

  private fail(res: Response, status: number, errorMessages: string[], errors: Record<string, string> = {}, next?: Next): void {
    res.send(status, { errorMessages, errors });
    if (next) next(false);
  }
}

function jsonBody(req: Request): unknown {
  try {
    return JSON.parse(rawBodyOf(req).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function requestOrigin(req: Request): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

/**
 * Why `doc` is not an ADF document Jira accepts, or undefined: the root is
 * `{ type: 'doc', version: 1, content: [...] }` and every node has a string `type`, text nodes a
 * non-empty string `text` (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/,
 * "text": "must not be empty").
 */
export function adfProblem(doc: unknown): string | undefined {
  if (doc === undefined || doc === null || doc === '') return 'Comment body can not be empty!';
  if (typeof doc !== 'object') return 'INVALID_INPUT';
  const d = doc as { type?: unknown; version?: unknown; content?: unknown };
  if (d.type !== 'doc' || d.version !== 1 || !Array.isArray(d.content)) return 'INVALID_INPUT';
  const bad = (node: unknown): boolean => {
    if (!node || typeof node !== 'object') return true;
    const n = node as { type?: unknown; text?: unknown; content?: unknown };
    if (typeof n.type !== 'string') return true;
    if (n.type === 'text' && (typeof n.text !== 'string' || n.text === '')) return true;
    if (n.content !== undefined && (!Array.isArray(n.content) || n.content.some(bad))) return true;
    return false;
  };
  if (d.content.length === 0) return 'Comment body can not be empty!';
  return d.content.some(bad) ? 'INVALID_INPUT' : undefined;
}
