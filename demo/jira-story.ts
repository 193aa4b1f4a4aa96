import { randomUUID } from 'node:crypto';
import { SANDBOX_JIRA_WEBHOOK_SECRET, signJiraBody, type Environment } from '../core';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../sandbox/webex-api/webex-emulator';
import { subscribeSpace } from './admin';
import { logSince } from './emulator-log';
import { expectStatus, jsonOf, postJson, request } from './http';
import { until } from './narrator';
import { jiraIssueCreated } from './jira-issue-created';
import type { Story } from './story';

const PROJECT = 'KAN';

export function jiraStory(storeEnv: Environment): Story {
  return {
    id: 'c',
    title: 'A Jira issue is created and lands in a Webex space',
    emulators: ['webex'],
    async run(url, n) {
      const since = new Date().toISOString();
      const webex = `${url}/sandbox/webex/v1`;
      const space = await n.step('The een-bridge bot makes a Webex space "Klantportaal" (POST /v1/rooms at the Webex emulator; the bot is in it)', async () => {
        const answer = await postJson(`${webex}/rooms`, { title: `Klantportaal (demo ${new Date().toISOString().slice(11, 19)})` }, { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}` });
        expectStatus(answer, 200, 'POST /v1/rooms');
        const room = jsonOf<{ id: string }>(answer);
        n.note(`space ${room.id}`);
        return room.id;
      });
      await n.step(`The space is subscribed to Jira project ${PROJECT}`, async () => {
        // Said out loud on purpose: the choice depends on what this build offers.
        n.note('(the subscription a person makes by telling the bot "subscribe jira KEY", or an operator with');
        n.note(' "een-bridge subscriptions add"; the demo plays no person in the space, so it writes it through the core subscriptions API)');
        const subscription = await subscribeSpace(storeEnv, space, PROJECT);
        n.note(`subscription ${subscription.id}: jira ${subscription.sourceKey} -> space`);
      });
      const issueNumber = 1000 + Math.floor(Math.random() * 9000);
      const key = `${PROJECT}-${issueNumber}`;
      await n.step(`Jira sends "jira:issue_created" for ${key} to /hooks/jira, signed (X-Hub-Signature sha256 with the sandbox Jira secret)`, async () => {
        const raw = JSON.stringify(jiraIssueCreated(PROJECT, issueNumber, 'Click-to-dial fails for numbers starting with 0031'));
        const answer = await request(`${url}/hooks/jira`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'x-atlassian-webhook-identifier': randomUUID(),
            'x-atlassian-webhook-flow': 'Primary',
            'x-hub-signature': signJiraBody(raw, SANDBOX_JIRA_WEBHOOK_SECRET),
          },
          body: raw,
        });
        expectStatus(answer, 202, 'POST /hooks/jira');
        n.note(`een-bridge answers 202 ${answer.text}`);
        const accepted = jsonOf<{ status?: string; deliveries?: number }>(answer);
        if (accepted.status !== 'accepted' || !accepted.deliveries) throw new Error(`the webhook was not queued for the space: ${answer.text}`);
      });
      await n.step('The outbox delivers it: the Webex emulator receives the message in that space', async () => {
        const message = await until(`a POST /v1/messages into space ${space}`, async () =>
          (await logSince(url, 'webex', since)).find((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/messages' && (JSON.parse(r.body) as { roomId?: string }).roomId === space), 15_000);
        const markdown = (JSON.parse(message.body) as { markdown?: string }).markdown ?? '';
        n.note(`message: "${markdown.split('\n')[0]}"`);
        if (!markdown.includes(key)) throw new Error(`the message in the space does not mention ${key}: "${markdown.slice(0, 200)}"`);
      });
    },
  };
}
