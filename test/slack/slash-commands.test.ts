import { startTestService, type TestService } from '../helpers/service';
import { buttonUrl, connectWebex, postSigned, runCommand, slackOf, slashCommand, submitView, textOf, webexMeetingCreates, webexOf } from './slack-helpers';

describe('/webex in Slack, end to end against the Webex emulator', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
    const slack = slackOf(service);
    slack.addUser({ id: 'U0ANNA', name: 'anna', realName: 'Anna de Vries', email: 'anna@example.com', tz: 'Europe/Amsterdam', locale: 'en-GB' });
    slack.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob Jansen', email: 'bob@example.com', tz: 'Europe/Amsterdam', locale: 'nl-NL' });
    slack.addUser({ id: 'U0CEES', name: 'cees', realName: 'Cees Bakker', email: 'cees@example.com', tz: 'Europe/Amsterdam', locale: 'nl-NL' });
    slack.addUser({ id: 'U0BASIS', name: 'dirk', realName: 'Dirk Basis', email: 'dirk@example.com', tz: 'Europe/Amsterdam', locale: 'en-US' });
    // Licences come from KPN EEN administration, linked by email on first contact: only for a
    // mail domain the administrator allowed (issue 13; before, any workspace's user with the
    // address was linked, which these tests relied on without saying so).
    await service.organisations.allow('email-domain', 'example.com', 'test');
    await service.users.create({ email: 'anna@example.com', licenceTier: 'Standaard' });
    await service.users.create({ email: 'bob@example.com', licenceTier: 'Premium' });
  });
  afterAll(() => service.dispose());

  it('offers a Connect button to someone without a Webex account, and starts no meeting', async () => {
    const { ack, answer } = await runCommand(service, '');
    expect(ack.status).toBe(200);
    expect(textOf(answer)).toMatch(/not connected yet/);
    expect(buttonUrl(answer)).toContain('/oauth/webex/connect?state=');
    expect(await webexMeetingCreates(service)).toBe(0);
  });

  it('connects the Webex account through OAuth', async () => {
    await connectWebex(service);
    const { answer } = await runCommand(service, 'connect');
    expect(textOf(answer)).toMatch(/already connected/);
  });

  it('/webex starts a meeting and posts a Join button in the channel', async () => {
    const { ack, answer } = await runCommand(service, '');
    expect(ack.ms).toBeLessThan(2000);
    expect(answer.body.response_type).toBe('in_channel');
    expect(textOf(answer)).toMatch(/Anna de Vries started a Webex meeting/);
    expect(buttonUrl(answer)).toMatch(/^https:\/\/sandbox\.webex\.com\/sandbox\/j\.php\?MTID=/);
    expect(await webexMeetingCreates(service)).toBe(1);
  });

  it('/webex private answers only the user', async () => {
    const { answer } = await runCommand(service, 'private');
    expect(answer.body.response_type).toBe('ephemeral');
  });

  it('/webex @user invites them and DMs them the link in their language', async () => {
    const cmd = slashCommand(service, '<@U0BOB|bob> <@U0CEES> Sprint sync');
    await postSigned(service, cmd.form, 'application/x-www-form-urlencoded');
    const answer = await slackOf(service).waitFor((c) => c.method === `response:${cmd.responseId}`);
    expect(textOf(answer)).toMatch(/Sprint sync/);
    const dm = await slackOf(service).waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'U0BOB');
    expect(textOf(dm)).toMatch(/nodigt je uit voor een Webex-vergadering: \*Sprint sync\*/);
    const creates = webexOf(service).log.list().filter((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/meetings');
    const sent = JSON.parse(creates[creates.length - 1]!.body) as { invitees: { email: string }[]; title: string };
    expect(sent.title).toBe('Sprint sync');
    expect(sent.invitees.map((i) => i.email)).toEqual(['bob@example.com', 'cees@example.com']);
  });

  it('/webex schedule plans a meeting from free text', async () => {
    const { answer } = await runCommand(service, 'schedule tomorrow 14:00 30m Sprint review');
    expect(textOf(answer)).toMatch(/Planned \*Sprint review\* on .* 14:00 \(Europe\/Amsterdam\), 30 minutes/);
  });

  it('/webex schedule refuses a time in the past with an example', async () => {
    const { answer } = await runCommand(service, 'schedule 2020-01-01 10:00 Old');
    expect(textOf(answer)).toMatch(/already passed.*for example: tomorrow 14:00 30m Sprint review/);
  });

  it('/webex list numbers the meetings and /webex cancel <n> cancels that one', async () => {
    // Instant meetings start at the next whole minute, so they are listed before tomorrow's review.
    const list = await runCommand(service, 'list');
    const numbered = /(\d+)\. [^\n]* Sprint review/.exec(textOf(list.answer));
    expect(numbered).not.toBeNull();
    const cancel = await runCommand(service, `cancel ${numbered?.[1] ?? ''}`);
    expect(textOf(cancel.answer)).toMatch(/Cancelled \*Sprint review\*/);
    const again = await runCommand(service, 'list');
    expect(textOf(again.answer)).not.toMatch(/Sprint review/);
    const wrong = await runCommand(service, 'cancel 9');
    expect(textOf(wrong.answer)).toMatch(/no meeting number 9/);
  });

  it('/webex schedule with no text opens a modal, and submitting it plans the meeting', async () => {
    const cmd = slashCommand(service, 'schedule');
    await postSigned(service, cmd.form, 'application/x-www-form-urlencoded');
    const open = await slackOf(service).waitFor((c) => c.method === 'views.open' && c.body.trigger_id === cmd.triggerId);
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('webex_schedule');

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const ack = await submitView(service, {
      callbackId: 'webex_schedule',
      privateMetadata: view.private_metadata,
      values: {
        date: { value: { type: 'datepicker', selected_date: tomorrow } },
        time: { value: { type: 'timepicker', selected_time: '15:30' } },
        length: { value: { type: 'static_select', selected_option: { value: '45' } } },
        title: { value: { type: 'plain_text_input', value: 'Kwartaalcijfers' } },
        invitees: { value: { type: 'multi_users_select', selected_users: ['U0BOB'] } },
        password: { value: { type: 'plain_text_input', value: 'Geheim123!' } },
      },
    });
    expect(ack.status).toBe(200);
    const posted = await slackOf(service).waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'U0ANNA' && /Kwartaalcijfers/.test(textOf(c)));
    expect(textOf(posted)).toMatch(/15:30 \(Europe\/Amsterdam\), 45 minutes/);
  });

  it('unknown subcommands and help get the help text, never silence', async () => {
    const unknown = await runCommand(service, 'frobnicate');
    expect(textOf(unknown.answer)).toMatch(/I do not know "frobnicate"[\s\S]*\/webex schedule/);
    const help = await runCommand(service, 'help');
    expect(textOf(help.answer)).toMatch(/\/webex list/);
  });

  it('answers a Dutch user in Dutch: /webex plan morgen 9:30 1u Overleg', async () => {
    await connectWebex(service, 'U0BOB');
    const { answer } = await runCommand(service, 'plan morgen 9:30 1u Overleg', 'U0BOB');
    expect(textOf(answer)).toMatch(/\*Overleg\* gepland op .* 09:30 \(Europe\/Amsterdam\), 60 minuten/);
  });

  it('refuses scheduling under Webex Basis, naming the licence that has it', async () => {
    await connectWebex(service, 'U0BASIS');
    const before = await webexMeetingCreates(service);
    const { answer } = await runCommand(service, 'schedule tomorrow 10:00 Plan', 'U0BASIS');
    expect(textOf(answer)).toMatch(/Scheduling meetings needs Webex Standaard or higher; your licence is Webex Basis/);
    expect(await webexMeetingCreates(service)).toBe(before);
    const user = await service.users.byEmail('dirk@example.com');
    const [denied] = await service.audit.recent(1, user!.id);
    expect(denied).toMatchObject({ action: 'meetings.schedule', outcome: 'denied', detail: { reason: 'meetings.licence.scheduling', required: 'Standaard' } });
  });

  it('refreshes a revoked access token once and carries on', async () => {
    const webex = webexOf(service);
    // Anna signed in at the emulated Webex with her Slack e-mail address when she connected.
    const anna = [...webex.context.people.values()].find((p) => p.emails[0] === 'anna@example.com');
    expect(anna).toBeDefined();
    for (const [token, person] of [...webex.context.tokens]) if (person === anna?.id) webex.context.tokens.delete(token);
    const before = webex.log.list().length;
    const { answer } = await runCommand(service, '');
    expect(textOf(answer)).toMatch(/started a Webex meeting/);
    const calls = webex.log.list().slice(before).map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual(['POST /sandbox/webex/v1/meetings', 'POST /sandbox/webex/v1/access_token', 'POST /sandbox/webex/v1/meetings']);
  });

  it('App Home shows the connection, the licence and the upcoming meetings with Join buttons', async () => {
    await runCommand(service, 'schedule tomorrow 11:00 45m Roadmap');
    const event = { type: 'event_callback', team_id: 'T0SANDBOX', api_app_id: 'A0SANDBOX', event_id: 'Ev1', event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: 'U0ANNA', channel: 'D0ANNA', tab: 'home', event_ts: '1.1' } };
    const ack = await postSigned(service, JSON.stringify(event), 'application/json');
    expect(ack.status).toBe(200);
    // Below the receiver's own 2.5 s fallback: Bolt acknowledged the event itself.
    expect(ack.ms).toBeLessThan(2000);
    const publish = await slackOf(service).waitFor((c) => c.method === 'views.publish' && c.body.user_id === 'U0ANNA');
    const text = JSON.stringify(publish.body.view);
    expect(text).toMatch(/Your Webex account is connected/);
    expect(text).toMatch(/Webex Standaard: up to 100 participants, meetings up to 24 h, scheduling: yes, recording: no/);
    expect(text).toMatch(/Roadmap/);
    expect(text).toMatch(/sandbox\.webex\.com\/sandbox\/j\.php/);
  });

  it('/webex disconnect deletes the tokens; the next /webex asks to connect again', async () => {
    const { answer } = await runCommand(service, 'disconnect', 'U0BASIS');
    expect(textOf(answer)).toMatch(/disconnected/);
    const next = await runCommand(service, '', 'U0BASIS');
    expect(textOf(next.answer)).toMatch(/not connected yet/);
  });
});

describe('/slack/events refuses what Slack did not sign', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
    await connectWebex(service);
  });
  afterAll(() => service.dispose());

  it('refuses a wrong signature with 401 and creates no meeting', async () => {
    const before = await webexMeetingCreates(service);
    const res = await postSigned(service, slashCommand(service, '').form, 'application/x-www-form-urlencoded', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'slack.badSignature' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(await webexMeetingCreates(service)).toBe(before);
  });

  it('refuses a missing signature and a body changed after signing', async () => {
    const cmd = slashCommand(service, '');
    const noSignature = await fetch(`${service.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: cmd.form });
    expect(noSignature.status).toBe(401);
    const ts = Math.floor(Date.now() / 1000);
    const { signSlackRequest } = await import('../../slack-app/signature');
    const sig = signSlackRequest('sandbox-slack-signing-secret', ts, cmd.form);
    const tampered = await postSigned(service, cmd.form.replace('text=', 'text=list'), 'application/x-www-form-urlencoded', { timestamp: ts, signature: sig });
    expect(tampered.status).toBe(401);
  });

  it('refuses a timestamp more than five minutes old, even correctly signed', async () => {
    const before = await webexMeetingCreates(service);
    const res = await postSigned(service, slashCommand(service, '').form, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(res.status).toBe(401);
    expect(await webexMeetingCreates(service)).toBe(before);
  });

  it('refuses a replay of a correctly signed request', async () => {
    const cmd = slashCommand(service, '');
    const ts = Math.floor(Date.now() / 1000);
    const first = await postSigned(service, cmd.form, 'application/x-www-form-urlencoded', { timestamp: ts });
    expect(first.status).toBe(200);
    await slackOf(service).waitFor((c) => c.method === `response:${cmd.responseId}`);
    const before = await webexMeetingCreates(service);
    const replay = await postSigned(service, cmd.form, 'application/x-www-form-urlencoded', { timestamp: ts });
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.text)).toMatchObject({ error: { code: 'slack.replayed' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(await webexMeetingCreates(service)).toBe(before);
  });

  it("answers Slack's ssl_check with 200", async () => {
    const res = await postSigned(service, 'ssl_check=1&token=deprecated', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
  });

  it('answers Slack url_verification with the challenge', async () => {
    const res = await postSigned(service, JSON.stringify({ type: 'url_verification', token: 't', challenge: 'c-123' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });
});
