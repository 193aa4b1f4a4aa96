import { messagingOf } from '../../../sandbox/webex-api/messaging-state';
import { WebexEmulator } from '../../../sandbox/webex-api/webex-emulator';
import { jiraIssueCreated, jiraIssueUpdated, pieter } from '../../fixtures/jira-webhooks';
import { postJiraWebhook } from '../../helpers/jira';
import { startTestService, type TestService } from '../../helpers/service';
import { dialects } from '../../helpers/stores';
import { allowSources, spacePerson } from '../../helpers/webex-sandbox';

/** The fixture update with its issue moved to `status`, carrying Jira's `labels`, assigned to `assignee` (e-mail visible). */
function moved(status: string, labels: string[], assignee: { emailAddress: string } | null, at: number) {
  return {
    ...jiraIssueUpdated,
    timestamp: jiraIssueUpdated.timestamp + at,
    issue: { ...jiraIssueUpdated.issue, fields: { ...jiraIssueUpdated.issue.fields, status: { ...jiraIssueUpdated.issue.fields.status, name: status }, labels, assignee: assignee ? { ...pieter, ...assignee } : null } },
    changelog: { id: `2${at}`, items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '3', fromString: 'In Progress', to: '10002', toString: status }] },
  };
}

describe.each(dialects)('a filtered subscription gets only matching Jira changes (%s)', (dialect) => {
  let service: TestService;
  let webex: WebexEmulator;
  let say: ReturnType<typeof spacePerson>['say'];
  let space: ReturnType<typeof spacePerson>['space'];

  beforeAll(async () => {
    service = await startTestService({ store: dialect, env: { WEBEX_DIGEST_SECONDS: '0' } });
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    ({ say, space } = spacePerson(webex, `${service.endpoints.sandbox('webex')}/v1`, { token: 'anouk-token', email: 'anouk@example.nl' }));
    await allowSources(service, [['jira', 'KAN']]);
  });
  afterAll(() => service.dispose());

  /** What the bot posted to the room about KAN-22, after the marker change arrived. */
  async function notices(room: string, marker: string): Promise<string[]> {
    const state = messagingOf(webex.context);
    const about = () => state.messages.filter((m) => m.roomId === room && m.personEmail === 'een-bridge@webex.bot' && m.markdown?.includes('KAN-22')).map((m) => m.markdown!);
    for (let i = 0; i < 750 && !about().some((m) => m.includes(marker)); i++) await new Promise((r) => setTimeout(r, 20));
    // The changes that did not match were posted before the marker: had any been routed, it would be here by now.
    return about();
  }

  it('English filter language: status->Done and label=klant', async () => {
    const room = await space(`Filter ${dialect}`);
    await say(room, 'subscribe jira KAN');
    expect(await say(room, 'filter status->Done AND labels=klant')).toBe('Filter for Jira KAN: `status->Done and label=klant`');
    expect(await say(room, 'subscriptions')).toMatch(/^This space follows:\n1\. Jira KAN — filter: `status->Done and label=klant` — working/);
    expect(await say(room, 'filter status->Done en label=')).toBe('Dat filter kan niet: Er ontbreekt een waarde op positie 23.');

    expect((await postJiraWebhook(service.url, jiraIssueCreated)).status).toBe(202);
    expect((await postJiraWebhook(service.url, moved('Done', ['intern'], null, 1))).status).toBe(202);
    expect((await postJiraWebhook(service.url, moved('In Review', ['klant'], null, 2))).status).toBe(202);
    expect((await postJiraWebhook(service.url, moved('Done', ['klant', 'urgent'], null, 3))).status).toBe(202);
    const got = await notices(room, 'Done');
    expect(got).toHaveLength(1);
    expect(got[0]).toContain('Done');
    const routed = await service.store.db.selectFrom('notification_deliveries').select('space_id').where('space_id', '=', room).execute();
    expect(routed).toHaveLength(1);
  });

  it('Dutch JQL with currentUser(): the person who set the filter', async () => {
    const room = await space(`JQL ${dialect}`);
    await say(room, 'abonneer jira KAN');
    expect(await say(room, 'filter jql project = KAN AND assignee = currentUser() ORDER BY created')).toBe(
      'That filter cannot be used: JQL “ORDER” (position 44) sorts search results; a notification filter cannot sort, leave it out.',
    );
    expect(await say(room, 'filteren jql project = KAN AND assignee = currentUser() AND status changed to Done')).toBe('Filter voor Jira KAN: `project=KAN en toegewezen=ik en status->Done`');
    expect(await say(room, 'abonnementen')).toContain('1. Jira KAN — filter: `project=KAN en toegewezen=ik en status->Done`');

    expect((await postJiraWebhook(service.url, moved('Done', [], { emailAddress: 'someone.else@example.nl' }, 11))).status).toBe(202);
    expect((await postJiraWebhook(service.url, moved('Done', ['mine'], { emailAddress: 'Anouk@Example.nl' }, 12))).status).toBe(202);
    const got = await notices(room, 'Done');
    expect(got).toHaveLength(1);
    expect(await service.store.db.selectFrom('notification_deliveries').select('space_id').where('space_id', '=', room).execute()).toHaveLength(1);

    // Off again: every change comes through.
    expect(await say(room, 'filter uit')).toBe('Filter van Jira KAN verwijderd: alle wijzigingen komen weer door.');
    expect(await say(room, 'abonnementen')).not.toContain('filter:');
  });
});
