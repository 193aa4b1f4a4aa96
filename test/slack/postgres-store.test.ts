import { startTestService, type TestService } from '../helpers/service';
import { connectWebex, postSigned, runCommand, slashCommand, textOf } from './slack-helpers';

// The same queries run on PostgreSQL for several replicas: OAuth state, meeting lists, replay guard.
describe('/webex on PostgreSQL', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ store: 'postgres' });
    // The licence is linked by e-mail only in a mail domain the administrator allowed (issue 13).
    await service.organisations.allow('email-domain', 'example.com', 'test');
    await service.users.create({ email: 'u0anna@example.com', licenceTier: 'Premium' });
    await connectWebex(service);
  });
  afterAll(() => service.dispose());

  it('schedules, lists and cancels', async () => {
    expect(textOf((await runCommand(service, 'schedule tomorrow 16:00 23h Hackathon')).answer)).toMatch(/Planned \*Hackathon\*.*1380 minutes/);
    expect(textOf((await runCommand(service, 'list')).answer)).toMatch(/1\. .*Hackathon/);
    expect(textOf((await runCommand(service, 'cancel 1')).answer)).toMatch(/Cancelled \*Hackathon\*/);
  });

  it('refuses a replay', async () => {
    const cmd = slashCommand(service, 'help');
    const ts = Math.floor(Date.now() / 1000);
    expect((await postSigned(service, cmd.form, 'application/x-www-form-urlencoded', { timestamp: ts })).status).toBe(200);
    expect((await postSigned(service, cmd.form, 'application/x-www-form-urlencoded', { timestamp: ts })).status).toBe(401);
  });
});
