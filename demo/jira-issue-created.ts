/**
 * A Jira Cloud `jira:issue_created` webhook body. Shape from Atlassian, "Webhooks"
 * (https://developer.atlassian.com/cloud/jira/platform/webhooks/): `timestamp`, `webhookEvent`,
 * `issue_event_type_name`, `user`, `issue` with `key` and `fields` (issuetype, project, priority,
 * status, reporter, summary, …), as in test/fixtures/jira-webhooks.ts. Names are invented.
 */
const site = 'https://kpn-een-demo.atlassian.net';

const reporter = {
  self: `${site}/rest/api/2/user?accountId=712020%3Aa1b2c3d4-0000-4c49-9408-dc34bd0e2d85`,
  accountId: '712020:a1b2c3d4-0000-4c49-9408-dc34bd0e2d85',
  displayName: 'Anouk de Jong',
  active: true,
  timeZone: 'Europe/Amsterdam',
  accountType: 'atlassian',
};

export function jiraIssueCreated(projectKey: string, issueNumber: number, summary: string): Record<string, unknown> {
  const now = new Date();
  const id = String(10000 + issueNumber);
  return {
    timestamp: now.getTime(),
    webhookEvent: 'jira:issue_created',
    issue_event_type_name: 'issue_created',
    user: reporter,
    issue: {
      id,
      self: `${site}/rest/api/2/issue/${id}`,
      key: `${projectKey}-${issueNumber}`,
      fields: {
        issuetype: { self: `${site}/rest/api/2/issuetype/10004`, id: '10004', description: 'A problem or error.', name: 'Bug', subtask: false, hierarchyLevel: 0 },
        project: { self: `${site}/rest/api/2/project/10000`, id: '10000', key: projectKey, name: 'Klantportaal', projectTypeKey: 'software', simplified: true },
        priority: { self: `${site}/rest/api/2/priority/2`, iconUrl: `${site}/images/icons/priorities/high.svg`, name: 'High', id: '2' },
        status: {
          self: `${site}/rest/api/2/status/10001`, description: '', iconUrl: `${site}/`, name: 'To Do', id: '10001',
          statusCategory: { self: `${site}/rest/api/2/statuscategory/2`, id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
        },
        assignee: null,
        reporter,
        creator: reporter,
        summary,
        labels: [],
        created: now.toISOString(),
        updated: now.toISOString(),
        description: null,
      },
    },
  };
}
