import { randomUUID } from 'node:crypto';
import { SANDBOX_JIRA_WEBHOOK_SECRET, signJiraBody } from '../../core';

/** POSTs a Jira webhook as Jira Cloud does: signed raw body, delivery identifier, lower-case headers. */
export function postJiraWebhook(
  baseUrl: string,
  body: unknown,
  options: { secret?: string; identifier?: string; signature?: string | null; raw?: string } = {},
): Promise<Response> {
  const raw = options.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-atlassian-webhook-identifier': options.identifier ?? randomUUID(),
    'x-atlassian-webhook-flow': 'Primary',
    'user-agent': 'Atlassian Webhook HTTP Client',
  };
  const signature = options.signature === undefined ? signJiraBody(raw, options.secret ?? SANDBOX_JIRA_WEBHOOK_SECRET) : options.signature;
  if (signature !== null) headers['x-hub-signature'] = signature;
  return fetch(`${baseUrl}/hooks/jira`, { method: 'POST', headers, body: raw });
}
