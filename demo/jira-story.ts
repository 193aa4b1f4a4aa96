import { randomUUID } from 'node:crypto';
import { SANDBOX_JIRA_WEBHOOK_SECRET, signJiraBody, type Environment } from '../core';
import { allowWritingFrom, subscribeSpace } from './admin';
import { logSince } from './emulator-log';
import { expectStatus, jsonOf, postJson, request } from './http';
import { until } from './narrator';
import { jiraIssueCreated } from './jira-issue-created';
import { jiraStatusChanged } from './jira-issue-updated';
import type { Story } from './story';

const PROJECT = 'KAN';

export function jiraStory(storeEnv: Environment): Story {
  return {
    id: 'c',
    title: 'A Jira issue lands in a Webex space, its next change in that message\'s thread, and a reply there reaches Jira',
    emulators: ['webex', 'jira'],
    async run(url, n) {
      const since = new Date().toISOString();
      // The sandbox console's Webex member (Anna de Vries) acts through the Webex emulator's API
      // with her own token, so the bot hears her as Webex would tell it (console/playground.ts).
      const conversation = `demo-${randomUUID().slice(0, 8)}`;
      const playground = `${url}/api/console/sandbox/webex`;
      const space = await n.step('Anna de Vries makes a Webex space "Klantportaal" and adds the een-bridge bot (POST /v1/rooms and /v1/memberships at the Webex emulator)', async () => {
        const answer = await postJson(`${playground}/spaces`, { conversation, title: `Klantportaal (demo ${new Date().toISOString().slice(11, 19)})` });
        expectStatus(answer, 200, 'POST /api/console/sandbox/webex/spaces');
        const room = jsonOf<{ space: { id: string } }>(answer).space;
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
      await n.step('An administrator lets the space write back to its sources ("een-bridge writers allow <space> *")', async () => {
        await allowWritingFrom(storeEnv, space);
      });
      await n.step('Anna tells the bot "filter not label=intern": internal issues stay out of this space', async () => {
        const answer = await postJson(`${playground}/messages`, { conversation, roomId: space, text: 'filter not label=intern' });
        expectStatus(answer, 200, 'POST /api/console/sandbox/webex/messages');
        const said = JSON.stringify(jsonOf<{ entries: unknown[] }>(answer).entries);
        if (!/Filter for Jira KAN/.test(said)) throw new Error(`the bot did not confirm the filter: ${said.slice(-300)}`);
        n.note('bot: "Filter for Jira KAN: `not label=intern`"');
      });
      const issueNumber = 1000 + Math.floor(Math.random() * 9000);
      const key = `${PROJECT}-${issueNumber}`;
      const summary = 'Click-to-dial fails for numbers starting with 0031';
      const sendJira = async (body: Record<string, unknown>) => {
        const raw = JSON.stringify(body);
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
        // Stored, so never lost; the router fans it out to the following spaces just after (issue 17).
        const accepted = jsonOf<{ status?: string }>(answer);
        if (accepted.status !== 'accepted') throw new Error(`the webhook was not stored: ${answer.text}`);
      };
      const internalKey = `${PROJECT}-${issueNumber + 1}`;
      await n.step(`Jira sends "jira:issue_created" for ${internalKey}, labelled "intern": stored (202), and the filter keeps it out of the space`, async () => {
        const internal = jiraIssueCreated(PROJECT, issueNumber + 1, 'Internal: rotate the sandbox secrets') as { issue: { fields: { labels: string[] } } };
        internal.issue.fields.labels = ['intern'];
        await sendJira(internal as unknown as Record<string, unknown>);
      });
      await n.step(`Jira sends "jira:issue_created" for ${key} to /hooks/jira, signed (X-Hub-Signature sha256 with the sandbox Jira secret)`, async () => {
        await sendJira(jiraIssueCreated(PROJECT, issueNumber, summary));
      });
      await n.step('The outbox delivers it: the Webex emulator receives the message in that space', async () => {
        const message = await until(`a POST /v1/messages into space ${space}`, async () =>
          (await logSince(url, 'webex', since)).find((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/messages' && (JSON.parse(r.body) as { roomId?: string; markdown?: string }).roomId === space && (JSON.parse(r.body) as { markdown?: string }).markdown?.includes(key) === true), 15_000);
        const markdown = (JSON.parse(message.body) as { markdown?: string }).markdown ?? '';
        n.note(`message: "${markdown.split('\n')[0]}"`);
        if (!markdown.includes(key)) throw new Error(`the message in the space does not mention ${key}: "${markdown.slice(0, 200)}"`);
        // Each space gets its changes in order, so the filtered issue (sent first) would be here by now.
        const leaked = (await logSince(url, 'webex', since)).find((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/messages' && r.body.includes(internalKey));
        if (leaked) throw new Error(`the filter let ${internalKey} through`);
        n.note(`${internalKey} (label intern) did not reach the space`);
      });
      type Entry = { id: string; from: string; text?: string; attachments?: unknown[] };
      const entries = async (): Promise<Entry[]> => {
        const answer = await request(`${playground}/messages?conversation=${conversation}&roomId=${encodeURIComponent(space)}`);
        expectStatus(answer, 200, 'GET /api/console/sandbox/webex/messages');
        return jsonOf<{ entries: Entry[] }>(answer).entries;
      };
      const notification = await n.step(`The notification about ${key} starts the issue's thread in the space`, async () => {
        const first = (await entries()).find((e) => e.from === 'bot' && JSON.stringify(e.attachments ?? []).includes(key));
        if (!first) throw new Error(`the notification about ${key} is not in the space`);
        n.note(`message ${first.id}`);
        return first;
      });
      await n.step(`Jira sends "jira:issue_updated" for ${key} (status To Do → In Progress); the outbox posts it as a reply in that thread (parentId)`, async () => {
        const threadSince = new Date().toISOString();
        await sendJira(jiraStatusChanged(PROJECT, issueNumber, summary, 'To Do', 'In Progress'));
        const reply = await until(`a POST /v1/messages about ${key} with parentId ${notification.id}`, async () =>
          (await logSince(url, 'webex', threadSince)).find((r) => {
            const body = JSON.parse(r.body || '{}') as { roomId?: string; parentId?: string; markdown?: string };
            return r.method === 'POST' && r.path === '/sandbox/webex/v1/messages' && body.roomId === space && body.parentId === notification.id && body.markdown?.includes(key) === true;
          }), 15_000);
        const markdown = (JSON.parse(reply.body) as { markdown?: string }).markdown ?? '';
        n.note(`in the thread of ${notification.id}: "${markdown.split('\n')[0]}"`);
        // A status change is important by default: the space also gets one line at the top level.
        const line = await until('the one-line summary of the status change at the top level', async () =>
          (await logSince(url, 'webex', threadSince)).find((r) => {
            const body = JSON.parse(r.body || '{}') as { roomId?: string; parentId?: string; markdown?: string };
            return r.method === 'POST' && r.path === '/sandbox/webex/v1/messages' && body.roomId === space && body.parentId === undefined && body.markdown?.includes(key) === true;
          }));
        n.note(`at the top level: "${((JSON.parse(line.body) as { markdown?: string }).markdown ?? '').split('\n')[0]}"`);
      });
      await n.step(`Anna replies in ${key}'s thread; een-bridge adds it to ${key} as a Jira comment (ADF) and confirms with a link`, async () => {
        const answer = await postJson(`${playground}/messages`, { conversation, roomId: space, parentId: notification.id, text: 'Customer confirmed: dialling 0031 numbers works again.' });
        expectStatus(answer, 200, 'POST /api/console/sandbox/webex/messages');
        const comment = await until(`a POST of a comment on ${key} at the Jira emulator`, async () =>
          (await logSince(url, 'jira', since)).find((r) => r.method === 'POST' && r.path === `/sandbox/jira/rest/api/3/issue/${key}/comment`));
        const adf = (JSON.parse(comment.body) as { body: { content: { content: { text?: string }[] }[] } }).body;
        n.note(`Jira comment: "${adf.content[0]?.content.map((c) => c.text ?? '').join('')}"`);
        const confirmed = await until('the bot confirming in the thread', async () => (await entries()).find((e) => e.from === 'bot' && /Added your comment to/.test(JSON.stringify(e))));
        // A Webex client shows the card: its `speak` is the card's text.
        n.note(`bot, in the thread: "${(confirmed.text ?? (confirmed.attachments?.[0] as { speak?: string } | undefined)?.speak ?? '').slice(0, 160)}"`);
      });
    },
  };
}
