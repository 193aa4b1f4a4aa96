import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEmulators } from '../../app/emulators';
import { importUsers, readUserCsv, translate } from '../../core/internal';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { SlackEmulator, SANDBOX_SLACK_TEAM_ID } from '../../sandbox/slack-api/slack-emulator';
import { SANDBOX_TEAMS_TENANT_ID, TeamsConnectorEmulator, type ConnectorActivity } from '../../sandbox/teams-connector/connector-emulator';
import { startTestService, type TestService } from '../helpers/service';
import { pressButton, runCommand, submitView, textOf } from '../slack/slack-helpers';

// Issue 13, must-fix 3: an identity is bound to its home (Slack: team id + user id; Teams:
// tenant id + AAD object id). An e-mail address links to a known person only inside an allowed
// workspace or tenant, in an allowed mail domain, when the e-mail is verified, and a link that
// exists is never moved.

const teamsFixture = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams/message-activity.json'), 'utf8')) as Record<string, unknown>;
const FLEUR = 'fleur.meijer@sandbox.kpneen.nl';
const FLEUR_LINE = '0201234506@sandbox.kpneen.nl';
const OTHER_TENANT = '0c1d2e3f-0000-4000-8000-0000000000aa';

describe('identities are bound to their home', () => {
  let service: TestService;
  let xsi: XsiEmulator;
  let connector: TeamsConnectorEmulator;
  let slack: SlackEmulator;

  beforeAll(async () => {
    const emulators = createEmulators();
    xsi = emulators.find((e): e is XsiEmulator => e instanceof XsiEmulator)!;
    connector = emulators.find((e): e is TeamsConnectorEmulator => e instanceof TeamsConnectorEmulator)!;
    slack = emulators.find((e): e is SlackEmulator => e instanceof SlackEmulator)!;
    service = await startTestService({ emulators });
    // An administrator imported Fleur with her own KPN EEN line; she has not used Teams or Slack yet.
    await importUsers(service.store.db, await readUserCsv(`email,broadworksUserId,number,licence\n${FLEUR},${FLEUR_LINE},020 123 4506,Premium\n`));
  });
  afterAll(() => service.dispose());
  beforeEach(() => {
    xsi.log.clear();
    connector.activities.length = 0;
  });

  const fleur = async () => (await service.users.byEmail(FLEUR))!;
  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));
  const replyText = (): string => {
    const reply = connector.activities.find((a: ConnectorActivity) => a.operation === 'reply');
    return JSON.stringify(reply?.activity ?? {});
  };

  async function teamsMessage(member: { id: string; aadObjectId: string; tenantId: string; email: string; userRole?: string }, text: string, locale = 'en-US') {
    connector.addMember({ ...member, name: 'Someone', userPrincipalName: member.email });
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...teamsFixture,
        id: `${Date.now()}`,
        serviceUrl: `${service.url}/sandbox/teams/`,
        text,
        locale,
        from: { id: member.id, name: 'Someone', aadObjectId: member.aadObjectId },
        conversation: { conversationType: 'personal', tenantId: member.tenantId, id: `a:chat-${member.id}` },
        channelData: { tenant: { id: member.tenantId } },
      }),
    });
    expect(res.status).toBe(200);
  }

  it('refuses a Teams user of another tenant who has an imported person\'s e-mail, in their language, and dials nothing', async () => {
    await teamsMessage({ id: '29:intruder', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000bad1', tenantId: OTHER_TENANT, email: FLEUR }, 'bel 06 1234 5678', 'nl-NL');
    expect(callsNew()).toEqual([]);
    expect(replyText()).toContain(translate('nl', 'identity.link.notServed'));
    const row = await fleur();
    expect(row.teamsAadObjectId).toBeUndefined();
    expect(row.broadworksUserId).toBe(FLEUR_LINE);
  });

  // An invoke (here the message extension's task module) answers through failureText with the
  // activity's locale, which is also the locale the refusal carries (teams-app/actor.ts teamsClaim).
  it('refuses that user in their language when they call from the message extension, too', async () => {
    const member = { id: '29:intruder-ext', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000bad5', tenantId: OTHER_TENANT, email: FLEUR };
    connector.addMember({ ...member, name: 'Someone', userPrincipalName: member.email });
    const fetchTask = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams/message-action-fetch-task.json'), 'utf8')) as Record<string, unknown>;
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...fetchTask,
        name: 'composeExtension/submitAction',
        value: { commandId: 'callNumberInMessage', data: { action: 'call', target: '+31612345678' } },
        serviceUrl: `${service.url}/sandbox/teams/`,
        locale: 'nl-NL',
        from: { id: member.id, name: 'Someone', aadObjectId: member.aadObjectId },
        conversation: { conversationType: 'personal', tenantId: member.tenantId, id: `a:chat-${member.id}` },
        channelData: { tenant: { id: member.tenantId } },
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ task: { type: 'message', value: translate('nl', 'identity.link.notServed') } });
    expect(callsNew()).toEqual([]);
    expect((await fleur()).teamsAadObjectId).toBeUndefined();
  });

  it('refuses a guest of the served tenant who has an imported person\'s e-mail', async () => {
    await teamsMessage({ id: '29:guest', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000bad2', tenantId: SANDBOX_TEAMS_TENANT_ID, email: FLEUR, userRole: 'guest' }, 'call 06 1234 5678');
    expect(callsNew()).toEqual([]);
    expect(replyText()).toContain(translate('en', 'identity.link.unverified', { system: 'Microsoft Teams' }));
    expect((await fleur()).teamsAadObjectId).toBeUndefined();
  });

  it('links the person herself, from the served tenant, and she dials from her own line', async () => {
    await teamsMessage({ id: '29:fleur', aadObjectId: 'f1e1f1e1-0000-4000-8000-00000000f1e1', tenantId: SANDBOX_TEAMS_TENANT_ID, email: FLEUR }, 'call 06 1234 5678');
    expect(callsNew()).toHaveLength(1);
    expect(callsNew()[0]!.path).toContain(encodeURIComponent(FLEUR_LINE));
    expect((await fleur()).teamsAadObjectId).toBe('f1e1f1e1-0000-4000-8000-00000000f1e1');
  });

  it('never moves a Teams link: a second Teams account with the same e-mail is refused', async () => {
    await teamsMessage({ id: '29:fleur2', aadObjectId: 'f1e1f1e1-0000-4000-8000-00000000f1e2', tenantId: SANDBOX_TEAMS_TENANT_ID, email: FLEUR }, 'call 06 1234 5678');
    expect(callsNew()).toEqual([]);
    expect(replyText()).toContain(translate('en', 'identity.link.alreadyLinked', { system: 'Microsoft Teams' }));
    expect((await fleur()).teamsAadObjectId).toBe('f1e1f1e1-0000-4000-8000-00000000f1e1');
  });

  it('never moves a KPN EEN line: a line already linked to someone else is not linked again by e-mail', async () => {
    // An administrator gave Pieter's line to someone else; Pieter himself then turns up in Teams.
    await importUsers(service.store.db, await readUserCsv('email,broadworksUserId,number,licence\nstand-in@sandbox.kpneen.nl,0201234503@sandbox.kpneen.nl,,Basis\n'));
    await teamsMessage({ id: '29:1sandbox-pieter', aadObjectId: '6d3f1f5e-0000-4000-8000-00000000a003', tenantId: SANDBOX_TEAMS_TENANT_ID, email: 'pieter.bakker@sandbox.kpneen.nl' }, 'call 06 1234 5678');
    expect(callsNew()).toEqual([]);
    expect(replyText()).toContain(translate('en', 'calling.lineTaken'));
    expect((await service.users.byEmail('pieter.bakker@sandbox.kpneen.nl'))?.broadworksUserId).toBeUndefined();
  });

  it('keeps no address from a tenant that is not served, and takes it once an administrator allows the tenant', async () => {
    const tenant = '0c1d2e3f-0000-4000-8000-0000000000bb';
    const jeroen = { id: '29:jeroen', aadObjectId: 'e1e1e1e1-0000-4000-8000-00000000e1e1', tenantId: tenant, email: 'jeroen.deboer@sandbox.kpneen.nl' };
    await teamsMessage(jeroen, 'call 06 1234 5678');
    expect(callsNew()).toEqual([]);
    expect(replyText()).toContain(translate('en', 'calling.notLinked'));
    expect((await service.users.byTeamsAadObjectId(jeroen.aadObjectId))?.email).toBeUndefined();

    await service.organisations.allow('teams-tenant', tenant, 'test');
    connector.activities.length = 0;
    await teamsMessage(jeroen, 'call 06 1234 5678');
    expect(callsNew()[0]!.path).toContain(encodeURIComponent('0201234507@sandbox.kpneen.nl'));
    const audit = await service.store.db.selectFrom('audit_log').selectAll().where('action', 'like', 'identity.%').execute();
    expect(audit.map((a) => `${a.action} ${a.outcome}`)).toEqual(expect.arrayContaining(['identity.create succeeded', 'identity.email succeeded', 'identity.link denied']));
  });

  describe('in the Teams tab', () => {
    const DAAN = 'daan.smit@sandbox.kpneen.nl';
    beforeAll(async () => {
      await importUsers(service.store.db, await readUserCsv(`email,broadworksUserId,number,licence\n${DAAN},0201234505@sandbox.kpneen.nl,,Premium\n`));
    });

    const tokenFor = async (member: { id: string; aadObjectId: string; tenantId: string; email: string; userRole?: string }) => {
      connector.addMember({ ...member, name: 'Someone', userPrincipalName: member.email });
      const res = await fetch(`${service.url}/sandbox/teams/tab/token?member=${member.aadObjectId}`, { method: 'POST' });
      return ((await res.json()) as { token: string }).token;
    };
    const call = (token: string) =>
      fetch(`${service.url}/api/tab/calls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'nl-NL' },
        body: JSON.stringify({ target: '06 1234 5678' }),
      });

    it.each([
      ['another tenant', { id: '29:tab-other', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000bad3', tenantId: OTHER_TENANT, email: DAAN }, 'identity.link.notServed'],
      ['a guest of the served tenant', { id: '29:tab-guest', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000bad4', tenantId: SANDBOX_TEAMS_TENANT_ID, email: DAAN, userRole: 'guest' }, 'identity.link.unverified'],
    ])('refuses a signed-in user of %s with an imported person\'s e-mail', async (_who, member, key) => {
      const res = await call(await tokenFor(member));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(key);
      expect(callsNew()).toEqual([]);
      expect((await service.users.byEmail(DAAN))?.teamsAadObjectId).toBeUndefined();
    });

    it('links the person herself from the served tenant', async () => {
      const res = await call(await tokenFor({ id: '29:tab-daan', aadObjectId: 'd1a1d1a1-0000-4000-8000-00000000d1a1', tenantId: SANDBOX_TEAMS_TENANT_ID, email: DAAN }));
      expect(res.status).toBe(200);
      expect(callsNew()[0]!.path).toContain(encodeURIComponent('0201234505@sandbox.kpneen.nl'));
    });
  });

  describe('in Slack', () => {
    const ANNA = 'anna.devries@sandbox.kpneen.nl';
    beforeAll(() => {
      slack.addUser({ id: 'U0ANNA', name: 'anna', realName: 'Anna de Vries', email: ANNA, tz: 'Europe/Amsterdam', locale: 'en-GB' });
      slack.addUser({ id: 'U0MALLORY', name: 'mallory', realName: 'Mallory', email: ANNA, tz: 'Europe/Amsterdam', locale: 'nl-NL', teamId: 'T0ELSEWHERE' });
      slack.addUser({ id: 'U0UNCONF', name: 'unconfirmed', realName: 'Unconfirmed', email: ANNA, tz: 'Europe/Amsterdam', locale: 'en-GB', emailConfirmed: false });
      slack.addUser({ id: 'U0SECOND', name: 'second', realName: 'Second', email: ANNA, tz: 'Europe/Amsterdam', locale: 'en-GB' });
    });

    it('links the person in the served workspace by her confirmed e-mail', async () => {
      await runCommand(service, 'help', 'U0ANNA');
      const anna = await service.users.bySlackUser(SANDBOX_SLACK_TEAM_ID, 'U0ANNA');
      expect(anna?.email).toBe(ANNA);
    });

    it('refuses a user of another workspace with her e-mail, in his language, and leaves her link alone', async () => {
      const { answer } = await runCommand(service, 'list', 'U0MALLORY', 'T0ELSEWHERE');
      expect(textOf(answer)).toBe(translate('nl', 'identity.link.notServed'));
      const anna = await service.users.byEmail(ANNA);
      expect(anna?.slack).toEqual({ teamId: SANDBOX_SLACK_TEAM_ID, userId: 'U0ANNA' });
      expect(await service.users.bySlackUser('T0ELSEWHERE', 'U0MALLORY')).toBeUndefined();
    });

    // The refusal carries the locale Slack gave for the person (core/identity/linking.ts); a
    // button press has no actor either, so it is said in that language as the slash command is.
    it.each([
      ['Call', 'webex_call_1', '06 1234 5678'],
      ['Hang up', 'webex_hangup', 'call-1'],
    ])('refuses him in his language when he presses a %s button, too', async (_button, actionId, value) => {
      const { status, responseId } = await pressButton(service, actionId, value, 'U0MALLORY', 'T0ELSEWHERE');
      expect(status).toBe(200);
      const answer = await slack.waitFor((c) => c.method === `response:${responseId}`);
      expect(textOf(answer)).toBe(translate('nl', 'identity.link.notServed'));
      expect(callsNew()).toEqual([]);
      expect(await service.users.bySlackUser('T0ELSEWHERE', 'U0MALLORY')).toBeUndefined();
    });

    // A modal's submission must be acknowledged within 3 s with what the modal shows next
    // (https://api.slack.com/surfaces/modals#interactions: response_action "update" replaces the
    // view); without an answer Slack shows its own generic error, in no one's language.
    it('refuses him in his language when he submits the schedule modal, in the modal itself', async () => {
      // Anna has used Slack (so her person exists); Mallory claims her address from another workspace.
      await runCommand(service, 'help', 'U0ANNA');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const ack = await submitView(
        service,
        {
          callbackId: 'webex_schedule',
          values: {
            date: { value: { type: 'datepicker', selected_date: tomorrow } },
            time: { value: { type: 'timepicker', selected_time: '15:30' } },
            length: { value: { type: 'static_select', selected_option: { value: '45' } } },
          },
        },
        'U0MALLORY',
        'T0ELSEWHERE',
      );
      expect(ack.status).toBe(200);
      const answer = JSON.parse(ack.text) as { response_action: string; view: { type: string; title: { text: string }; blocks: { text?: { text: string } }[] } };
      expect(answer.response_action).toBe('update');
      expect(answer.view.type).toBe('modal');
      expect(answer.view.title.text.length).toBeLessThanOrEqual(24);
      expect(answer.view.blocks.map((b) => b.text?.text ?? '').join('\n')).toContain(translate('nl', 'identity.link.notServed'));
      expect(await service.users.bySlackUser('T0ELSEWHERE', 'U0MALLORY')).toBeUndefined();
    });

    // docs/security.md, "Served organisations": a workspace that is not on the list, with an
    // address in no served mail domain, gets a polite refusal and no person is created.
    it('refuses a user of a workspace that is not served, with an address in no served domain, and keeps no row for him', async () => {
      slack.addUser({ id: 'U0STRANGER', name: 'stranger', realName: 'Stranger', email: 'piet@elders.example', tz: 'Europe/Amsterdam', locale: 'nl-NL', teamId: 'T0ELSEWHERE' });
      const { answer } = await runCommand(service, 'list', 'U0STRANGER', 'T0ELSEWHERE');
      expect(textOf(answer)).toBe(translate('nl', 'identity.notServed'));
      expect(await service.users.bySlackUser('T0ELSEWHERE', 'U0STRANGER')).toBeUndefined();
      const audit = await service.store.db.selectFrom('audit_log').selectAll().where('actor', '=', 'slack:U0STRANGER').execute();
      expect(audit.map((a) => `${a.action} ${a.outcome}`)).toEqual(['identity.link denied']);
    });

    it('refuses an unconfirmed e-mail in the served workspace', async () => {
      const { answer } = await runCommand(service, 'list', 'U0UNCONF');
      expect(textOf(answer)).toBe(translate('en', 'identity.link.unverified', { system: 'Slack' }));
      expect((await service.users.byEmail(ANNA))?.slack?.userId).toBe('U0ANNA');
    });

    it('never moves a Slack link to a second account with the same e-mail', async () => {
      const { answer } = await runCommand(service, 'list', 'U0SECOND');
      expect(textOf(answer)).toBe(translate('en', 'identity.link.alreadyLinked', { system: 'Slack' }));
      expect((await service.users.byEmail(ANNA))?.slack?.userId).toBe('U0ANNA');
    });
  });
});
