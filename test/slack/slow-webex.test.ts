import { createEmulators } from '../../app/emulators';
import { startTestService, type TestService } from '../helpers/service';
import { RateLimiter } from '../../sandbox/webex-api/rate-limiter';
import { buttonUrl, connectWebex, postSigned, slackOf, slashCommand, textOf, webexOf } from './slack-helpers';

describe('a slow Webex never makes Slack time out', () => {
  let service: TestService;
  beforeAll(async () => {
    // Every Webex API call takes 5 s; Slack gives an ack 3 s.
    service = await startTestService({ emulators: createEmulators({ SANDBOX_WEBEX_LATENCY_MS: '5000' }) });
    await connectWebex(service);
    // The bot's start-up calls and connecting (token, then /people/me) each take the 5 s.
  }, 60_000);
  afterAll(() => service.dispose());

  it('acks /webex under 3 s and posts the Join button when Webex answers', async () => {
    const cmd = slashCommand(service, '');
    const sent = performance.now();
    const ack = await postSigned(service, cmd.form, 'application/x-www-form-urlencoded');
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(3000);
    // The listener acknowledged it, not the receiver's 2.5 s safety net.
    expect(service.logLines().some((l) => String(l.msg).includes('no listener acknowledged'))).toBe(false);
    const answer = await slackOf(service).waitFor((c) => c.method === `response:${cmd.responseId}`, 15_000);
    const answeredAfter = performance.now() - sent;
    expect(answeredAfter).toBeGreaterThanOrEqual(5000);
    expect(answer.body.response_type).toBe('in_channel');
    expect(buttonUrl(answer)).toMatch(/^https:\/\/sandbox\.webex\.com\//);
    expect(textOf(answer)).toMatch(/started a Webex meeting/);
  }, 25_000);
});

describe('a busy Webex (429) gets a clear answer', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
    // Connecting reads /people/me (the e-mail check), so Webex turns busy only afterwards:
    // 0.2 requests per second, the first call already waits 4 s, longer than the client waits out.
    await connectWebex(service);
    webexOf(service).limiter = new RateLimiter(0.2);
  });
  afterAll(() => service.dispose());

  it('says how long to wait instead of a meeting', async () => {
    const cmd = slashCommand(service, '');
    const ack = await postSigned(service, cmd.form, 'application/x-www-form-urlencoded');
    expect(ack.status).toBe(200);
    const answer = await slackOf(service).waitFor((c) => c.method === `response:${cmd.responseId}`);
    expect(textOf(answer)).toBe('Webex is busy. Please try again in 4 seconds.');
    expect(answer.body.response_type).toBe('ephemeral');
  });
});
