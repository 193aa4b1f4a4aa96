import { jiraIssueCreated } from './jira-issue-created';

/**
 * A Jira Cloud `jira:issue_updated` webhook body for a status change: the issue as it is now and
 * a `changelog` whose items say what changed (`field`, `fromString`, `toString`). Shape from
 * Atlassian, "Webhooks" (https://developer.atlassian.com/cloud/jira/platform/webhooks/), as in
 * test/fixtures/jira-webhooks.ts. Names are invented.
 */
export function jiraStatusChanged(projectKey: string, issueNumber: number, summary: string, from: string, to: string): Record<string, unknown> {
  const created = jiraIssueCreated(projectKey, issueNumber, summary) as { issue: { fields: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown>;
  const status = created.issue.fields.status as Record<string, unknown>;
  return {
    ...created,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    issue: { ...created.issue, fields: { ...created.issue.fields, status: { ...status, name: to, id: '3' } } },
    changelog: {
      id: String(20000 + issueNumber),
      items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: status.id, fromString: from, to: '3', toString: to }],
    },
  };
}
