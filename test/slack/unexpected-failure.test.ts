import { Calling, translate } from '../../core';
import { startTestService, type TestService } from '../helpers/service';
import { runCommand, slackOf, textOf } from './slack-helpers';

/**
 * One failure presenter (issue 14), Slack: a façade throwing a plain Error mid-command is
 * answered through response_url in the person's language (their Slack locale), with the
 * reference that is logged beside the error, and without the error's own text.
 */
describe('/webex in Slack when something nobody expected fails', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
    slackOf(service).addUser({ id: 'U0BOBFAIL', name: 'bob', realName: 'Bob Jansen', email: 'bob.fail@example.com', tz: 'Europe/Amsterdam', locale: 'nl-NL' });
    await service.organisations.allow('email-domain', 'example.com', 'test');
    await service.users.create({ email: 'bob.fail@example.com', licenceTier: 'Premium' });
  });
  afterAll(() => service.dispose());

  it('answers in Dutch with the reference that is in the log', async () => {
    const recent = jest.spyOn(Calling.prototype, 'recentCalls').mockRejectedValueOnce(new Error('disk on fire at /var/lib/een'));
    try {
      const { ack, answer } = await runCommand(service, 'recent', 'U0BOBFAIL');
      expect(ack.status).toBe(200);
      expect(recent).toHaveBeenCalledTimes(1);
      const line = service.logLines().find((l) => l.where === 'slack' && l.msg === 'unexpected failure');
      expect(line).toBeDefined();
      const ref = String(line!.ref);
      expect(ref).toMatch(/^[0-9a-f]{8}$/);
      expect(textOf(answer)).toBe(translate('nl', 'http.internal', { ref }));
      expect(textOf(answer)).not.toContain('disk on fire');
    } finally {
      recent.mockRestore();
    }
  });
});
