/**
 * The Jira webhook every ingest and delivery benchmark sends: an issue update with one changelog
 * item, shaped like Atlassian's documented jira:issue_updated payload (see test/fixtures for the
 * published examples the service is tested against). `n` makes the issue, key and changelog
 * distinct, so the service stores each one instead of answering "duplicate".
 */
export function jiraIssueBody(n: number, projectKey = 'KAN'): string {
  return JSON.stringify({
    timestamp: Date.now(),
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: '712020:bench', displayName: 'Bench Runner' },
    issue: {
      id: String(10000 + n),
      self: `https://bench.atlassian.net/rest/api/2/issue/${10000 + n}`,
      key: `${projectKey}-${n}`,
      fields: { summary: `Bench issue ${n}`, issuetype: { name: 'Bug' }, priority: { name: 'High' }, status: { name: 'In Progress' }, project: { key: projectKey } },
    },
    changelog: { id: String(n), items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: 'To Do', toString: 'In Progress' }] },
  });
}
