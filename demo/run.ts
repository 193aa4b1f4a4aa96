import '../app/quiet-known-warnings';
import { showReceived } from './emulator-log';
import { crossSurfaceStory } from './cross-surface-story';
import { jiraStory } from './jira-story';
import { Narrator, StepFailed, reasonOf, say } from './narrator';
import { slackStory } from './slack-story';
import type { Story } from './story';
import { attach, startOwnService, type DemoTarget } from './target';
import { teamsStory } from './teams-story';

/** Each story must be over within this; a hung step fails the story, not the demo run forever. */
const STORY_LIMIT_MS = 45_000;

const usage = `npm run demo [-- --url http://host:port]

Starts een-bridge in sandbox mode on a free port (or uses the one at --url or EEN_DEMO_URL)
and walks through four stories with signed requests: a Teams user calls a colleague by name,
a Slack user schedules a meeting, a Jira issue lands in a Webex space, and a Slack user calls by
name while a Teams user starts a Webex meeting. Exits 0 only if all four complete.`;

/** `--url X`, `--url=X`, or EEN_DEMO_URL; undefined means "start one". */
function parseArgs(argv: string[]): { url: string | undefined; help: boolean } {
  let url = process.env.EEN_DEMO_URL || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { url, help: true };
    if (arg === '--url' && argv[i + 1]) url = argv[++i];
    else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
    else throw new StepFailed('start', 'read the arguments', `unknown argument "${arg}"\n\n${usage}`);
  }
  return { url, help: false };
}

async function runStory(story: Story, target: DemoTarget): Promise<void> {
  const label = `${story.id}. ${story.title}`;
  say();
  say(`Story ${label}`);
  const narrator = new Narrator(label);
  const since = new Date().toISOString();
  const began = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StepFailed(label, narrator.currentStep, `the story did not complete within ${STORY_LIMIT_MS / 1000} s`)), STORY_LIMIT_MS);
  });
  try {
    await Promise.race([story.run(target.url, narrator), limit]);
  } finally {
    clearTimeout(timer);
    await showReceived(target.url, story.emulators, since).catch((err: unknown) => say(`  (could not read the emulator logs: ${reasonOf(err)})`));
  }
  say(`PASS story ${story.id}: ${story.title} (${Date.now() - began} ms)`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    say(usage);
    return 0;
  }
  let target: DemoTarget;
  try {
    if (args.url) {
      say(`Using the een-bridge at ${args.url}`);
      target = await attach(args.url);
    } else {
      say('Starting een-bridge in sandbox mode (no credentials set: every system is emulated on the service itself)…');
      target = await startOwnService();
    }
  } catch (err) {
    throw new StepFailed('start', args.url ? `reach the service at ${args.url}` : 'start the service', reasonOf(err));
  }
  say(`een-bridge is ready at ${target.url}`);
  const stop = () => void target.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const stories = [teamsStory, slackStory(target.storeEnv), jiraStory(target.storeEnv), crossSurfaceStory];
    for (const story of stories) await runStory(story, target);
    say();
    say(`All ${stories.length} stories completed.`);
    return 0;
  } finally {
    if (target.started) {
      say('Stopping the service the demo started.');
      await target.stop();
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    say();
    say(err instanceof StepFailed ? `DEMO FAILED: ${err.message}` : `DEMO FAILED: ${reasonOf(err)}`);
    process.exitCode = err instanceof StepFailed && err.story === 'start' && err.step === 'read the arguments' ? 2 : 1;
  },
);
