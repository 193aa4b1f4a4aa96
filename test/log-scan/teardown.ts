import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_JIRA_WEBHOOK_SECRET, SANDBOX_TRELLO_API_SECRET } from '../../core';
import { SANDBOX_XSI_CREDENTIALS } from '../../sandbox/broadworks-xsi/directory-seed';
import { SANDBOX_GRAPH_TOKEN } from '../../sandbox/graph-api/graph-emulator';
import { SANDBOX_SLACK_BOT_TOKEN, SANDBOX_SLACK_CLIENT_SECRET, SANDBOX_SLACK_SIGNING_SECRET } from '../../sandbox/slack-api/slack-emulator';
import { SANDBOX_TRELLO_TOKEN } from '../../sandbox/trello-api/trello-emulator';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { SANDBOX_WEBEX_WEBHOOK_SECRET } from '../../webex-bot';

/** What a service is configured with in sandbox mode; tests add their own (test/helpers/log-capture). */
const sandboxSecrets: Record<string, string> = {
  SANDBOX_JIRA_WEBHOOK_SECRET,
  SANDBOX_TRELLO_API_SECRET,
  SANDBOX_TRELLO_TOKEN,
  SANDBOX_XSI_PASSWORD: SANDBOX_XSI_CREDENTIALS.password,
  SANDBOX_GRAPH_TOKEN,
  SANDBOX_SLACK_BOT_TOKEN,
  SANDBOX_SLACK_CLIENT_SECRET,
  SANDBOX_SLACK_SIGNING_SECRET,
  SANDBOX_WEBEX_BOT_TOKEN,
  SANDBOX_WEBEX_WEBHOOK_SECRET,
};

/** Shorter values (a test's "x") would match by chance. */
const MIN_SECRET_LENGTH = 8;

/**
 * Fails the run when a configured secret or token appears in any log line a service wrote
 * during the suite (issue 7, "Secrets"). The lines were copied by test/helpers/log-capture.
 */
export default function teardown(): void {
  const dir = process.env.EEN_TEST_LOG_DIR;
  if (!dir) return;
  const files = readdirSync(dir);
  const secrets = new Map<string, string>(Object.entries(sandboxSecrets).map(([name, value]) => [value, name]));
  for (const file of files.filter((f) => f.startsWith('secrets-'))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean)) {
      const { name, value } = JSON.parse(line) as { name: string; value: string };
      if (value.length >= MIN_SECRET_LENGTH && !secrets.has(value)) secrets.set(value, name);
    }
  }
  let lines = 0;
  const leaks: string[] = [];
  for (const file of files.filter((f) => f.startsWith('log-'))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      lines++;
      for (const [value, name] of secrets) {
        if (line.includes(value)) leaks.push(`${name} in ${file}: ${line.split(value).join('«' + name + '»').slice(0, 400)}`);
      }
    }
  }
  if (leaks.length > 0) {
    throw new Error(`${leaks.length} log lines carry a configured secret (logs kept in ${dir}):\n${leaks.slice(0, 20).join('\n')}`);
  }
  console.log(`secret scan: ${lines} log lines checked for ${secrets.size} configured secrets, none found`);
  rmSync(dir, { recursive: true, force: true });
}
