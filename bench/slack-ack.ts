import { randomBytes } from 'node:crypto';
import { SANDBOX_SLACK_SIGNING_SECRET, SANDBOX_SLACK_TEAM_ID } from '../sandbox/slack-api/slack-emulator';
import { signSlackRequest } from '../slack-app/signature';
import { figure, percentile, startService, targetsOf, waitFor, writeResult, type BenchResult } from './lib';

interface LoggedRequest {
  path: string;
  body: string;
}

/**
 * How fast `/webex` is acknowledged when every Webex API call takes 300 ms more
 * (SANDBOX_WEBEX_LATENCY_MS=300): Slack shows a timeout after 3 s, so the ack must never wait
 * for Webex. Runs the built service in sandbox mode, in its own process, over loopback.
 */
export async function slackAck(commands = 200, concurrency = 4): Promise<BenchResult> {
  const { service } = startService({ SANDBOX_WEBEX_LATENCY_MS: '300' });
  try {
    await waitFor(`${service.url}/readyz`);
    const post = async (text: string) => {
      const id = randomBytes(6).toString('hex');
      const body = new URLSearchParams({
        team_id: SANDBOX_SLACK_TEAM_ID, channel_id: 'C0BENCH', user_id: 'U0BENCH', command: '/webex', text,
        response_url: `${service.url}/sandbox/slack/response/${id}`, trigger_id: `t.${id}`,
      }).toString();
      const ts = Math.floor(Date.now() / 1000);
      const began = process.hrtime.bigint();
      const res = await fetch(`${service.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SANDBOX_SLACK_SIGNING_SECRET, ts, body) },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/slack/events answered ${res.status}`);
      return { id, ackMs: Number(process.hrtime.bigint() - began) / 1e6, sentAt: Date.now() };
    };
    const answerOf = async (id: string, timeoutMs = 30_000): Promise<LoggedRequest> => {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const log = (await (await fetch(`${service.url}/sandbox/slack/_log`)).json()) as { requests: LoggedRequest[] };
        const hit = log.requests.find((r) => r.path === `/sandbox/slack/response/${id}`);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no answer for ${id}`);
    };

    // Connect the bench user's Webex account once, through the emulated OAuth consent.
    const connect = await post('connect');
    const prompt = JSON.parse((await answerOf(connect.id)).body) as { blocks: { accessory?: { url?: string } }[] };
    const consent = prompt.blocks.find((b) => b.accessory?.url)!.accessory!.url!;
    const back = await fetch(consent, { redirect: 'manual' });
    const done = await fetch(back.headers.get('location')!);
    if (done.status !== 200) throw new Error(`OAuth callback answered ${done.status}`);

    /**
     * `count` commands from `parallel` clients at once: their ack times. Nothing else asks the
     * service anything meanwhile (answers are sampled apart), so the acks compete only with
     * the commands' own work: Webex calls, answers through response_url, store writes.
     */
    const acksOf = async (count: number, parallel: number) => {
      const acks: number[] = [];
      let next = 0;
      const client = async () => {
        while (next < count) {
          next += 1;
          acks.push((await post('')).ackMs);
        }
      };
      await Promise.all(Array.from({ length: parallel }, client));
      return acks.sort((a, b) => a - b);
    };
    /** Time from command to the answer through response_url, one command at a time. */
    const answersOf = async (count: number) => {
      const answers: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const sent = await post('');
        await answerOf(sent.id);
        answers.push(Date.now() - sent.sentAt);
      }
      return answers.sort((a, b) => a - b);
    };
    // Warm-up, not counted: the first commands load code and fill caches once per process.
    await acksOf(20, concurrency);
    const single = { acks: await acksOf(Math.ceil(commands / 2), 1), answers: await answersOf(10) };
    const acks = await acksOf(commands, concurrency);
    const answers = await answersOf(10);
    const p50 = percentile(acks, 50);
    const p99 = percentile(acks, 99);
    const figures = [
      figure('ack p99', Number(p99.toFixed(1)), 'ms', { baseline: { name: "Slack's timeout", value: 3000 }, target: '< 50 ms', met: p99 < 50 }),
      figure('ack p50, Webex answering 300 ms slower', Number(p50.toFixed(1)), 'ms', { baseline: { name: 'added Webex latency', value: 300 }, target: '< 300 ms (ack never waits for Webex)', met: p50 < 300 }),
    ];
    return writeResult({
      name: 'slack-ack',
      metrics: {
        commands,
        concurrency,
        webexLatencyMs: 300,
        ackP50Ms: Number(p50.toFixed(1)),
        ackP99Ms: Number(p99.toFixed(1)),
        ackMaxMs: Number(acks[acks.length - 1]!.toFixed(1)),
        answerP50Ms: percentile(answers, 50),
        oneClientAckP50Ms: Number(percentile(single.acks, 50).toFixed(1)),
        oneClientAckP99Ms: Number(percentile(single.acks, 99).toFixed(1)),
        oneClientAnswerP50Ms: percentile(single.answers, 50),
      },
      figures,
      targets: targetsOf(figures),
    });
  } finally {
    await service.stop();
  }
}
