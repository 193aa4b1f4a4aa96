import { randomUUID } from 'node:crypto';

const SITE = 'https://een-bridge-sandbox.atlassian.net';

/**
 * A `jira:issue_created` webhook body as Jira Cloud sends it (Atlassian, "Webhooks",
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/, "Example callback for an issue-related
 * event"): timestamp, webhookEvent, issue_event_type_name, user and the issue with its fields. The
 * summary counts up so each click is a new issue.
 */
export function jiraIssueCreated(project: string, n: number, summary: string): { body: string; identifier: string } {
  const id = String(10_100 + n);
  const user = { self: `${SITE}/rest/api/2/user?accountId=5b10a2844c20165700ede21g`, accountId: '5b10a2844c20165700ede21g', displayName: 'Anouk de Jong', active: true, timeZone: 'Europe/Amsterdam', accountType: 'atlassian' };
  const body = {
    timestamp: Date.now(),
    webhookEvent: 'jira:issue_created',
    issue_event_type_name: 'issue_created',
    user,
    issue: {
      id,
      self: `${SITE}/rest/api/2/issue/${id}`,
      key: `${project}-${100 + n}`,
      fields: {
        summary,
        issuetype: { self: `${SITE}/rest/api/2/issuetype/10001`, id: '10001', name: 'Bug', subtask: false },
        project: { self: `${SITE}/rest/api/2/project/10000`, id: '10000', key: project, name: 'Klantportaal', projectTypeKey: 'software' },
        priority: { self: `${SITE}/rest/api/2/priority/2`, name: 'High', id: '2' },
        status: { self: `${SITE}/rest/api/2/status/10000`, name: 'To Do', id: '10000', statusCategory: { id: 2, key: 'new', name: 'To Do' } },
        assignee: null,
        reporter: user,
        created: new Date().toISOString().replace('Z', '+0000'),
        updated: new Date().toISOString().replace('Z', '+0000'),
        labels: [],
      },
    },
  };
  // X-Atlassian-Webhook-Identifier: unique per delivery, the same on Jira's retries (same page, "Retry policy").
  return { body: JSON.stringify(body), identifier: randomUUID() };
}
