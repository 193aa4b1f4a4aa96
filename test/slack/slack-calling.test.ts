import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { createEmulators } from '../../app/emulators';
import { startTestService, type TestService } from '../helpers/service';
import { pressButton, runCommand, slackOf, textOf } from './slack-helpers';

/**
 * Calling from Slack (issue 14): `/webex call` rings the person's KPN EEN line and dials out with
 * the same number handling, dial policy, directory choice, status updates and hang-up as Teams,
 * end to end through the Slack and Xsi emulators over loopback.
 */
describe('/webex call in Slack', () => {
  let service: TestService;
  let xsi: XsiEmulator;
  const user = 'U0ANNACALL';

  beforeAll(async () => {
    xsi = new XsiEmulator({ alertingMs: 300, activeMs: 60_000 });
    service = await startTestService({ emulators: [...createEmulators().filter((e) => e.name !== 'xsi'), xsi] });
    // Anna's Slack profile carries the address KPN EEN knows her line by (sandbox.kpneen.nl is served in sandbox mode).
    slackOf(service).addUser({ id: user, name: 'anna', realName: 'Anna de Vries', email: 'anna.devries@sandbox.kpneen.nl', tz: 'Europe/Amsterdam', locale: 'en-US' });
  });
  afterAll(() => service.dispose());
  beforeEach(() => xsi.log.clear());

  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));
  const blocksOf = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? []);

  async function press(actionId: string, value: string): Promise<string> {
    const { status, responseId } = await pressButton(service, actionId, value, user);
    expect(status).toBe(200);
    return responseId;
  }

  it('rings the line and dials a number, then shows the call as connected with Hang up', async () => {
    const { ack, answer } = await runCommand(service, 'call 06 1234 5678', user);
    expect(ack.status).toBe(200);
    expect(textOf(answer)).toContain('Your phone is ringing');
    expect(blocksOf(answer.body)).toContain('"action_id":"webex_hangup"');
    expect(callsNew().map((r) => r.query)).toEqual([{ address: '+31612345678' }]);
    const responseId = answer.method.replace('response:', '');
    const connected = await slackOf(service).waitFor((c) => c.method === `response:${responseId}` && textOf(c).includes('Connected with'), 10_000);
    expect(connected.body.replace_original).toBe(true);
    // Hang up from the button: the call ends and the message says so.
    const callId = /"action_id":"webex_hangup","value":"([^"]+)"/.exec(blocksOf(connected.body))![1]!;
    const hangup = await press('webex_hangup', callId);
    const ended = await slackOf(service).waitFor((c) => c.method === `response:${hangup}`);
    expect(textOf(ended)).toMatch(/hung up|ended/i);
  });

  it('offers a choice when a name matches several colleagues, and calls the one pressed', async () => {
    const { answer } = await runCommand(service, 'bel Jansen', user);
    const blocks = blocksOf(answer.body);
    expect(blocks).toContain('Annelies Jansen');
    expect(blocks).toContain('Thijs Jansen');
    expect(callsNew()).toHaveLength(0);
    const choice = /"action_id":"webex_call_\d+","value":"([^"]+)"/.exec(blocks)![1]!;
    const pressed = await press('webex_call_1', choice);
    const status = await slackOf(service).waitFor((c) => c.method === `response:${pressed}`);
    expect(textOf(status)).toContain('Your phone is ringing');
    expect(callsNew()).toHaveLength(1);
  });

  it('follows the dial policy of the Slack workspace', async () => {
    const { answer } = await runCommand(service, 'call 0900 1234567', user);
    expect(textOf(answer)).toMatch(/blocks calls to numbers starting with 0900/);
    expect(callsNew()).toHaveLength(0);
  });

  it('lists recent calls with Call back buttons', async () => {
    const { answer } = await runCommand(service, 'recent', user);
    expect(textOf(answer)).toContain('Recent calls');
    expect(blocksOf(answer.body)).toMatch(/"action_id":"webex_call_0"/);
  });
});
