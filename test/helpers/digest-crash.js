// Claims a due scheduled digest and its outbox delivery, then stops short, until it is killed:
// `claimed` stops before the message is sent, `sent` after Webex accepted it but before the
// outcome is recorded. Runs from the built dist/ so it is a real process. One JSON argument:
// { dialect, file | url + schema, webexApi, at (the due time, ISO) , stage }.
const { setInterval } = require('node:timers');
const { openStore, createLogger, DigestScheduler, Outbox, WebexMessages, webexDeliverySender } = require('../../dist/core/internal');
const { SANDBOX_WEBEX_BOT_TOKEN } = require('../../dist/sandbox/webex-api/webex-emulator');

async function main() {
  const options = JSON.parse(process.argv[2]);
  const store = options.dialect === 'sqlite'
    ? openStore({ kind: 'sqlite', file: options.file })
    : openStore({ kind: 'postgres', url: options.url }, { schema: options.schema });
  await store.migrate();
  const clock = { now: () => new Date(options.at) };
  const log = createLogger({ level: 'warn' });
  const queued = await new DigestScheduler(store.db, store.dialect, log, {}, clock).runOnce();
  process.stdout.write(`queued ${queued.map((q) => q.deliveryId).join(',')}\n`);
  const claimed = await new Outbox(store.db, store.dialect, clock).claimDue(60_000, 10);
  process.stdout.write(`claimed ${claimed.map((c) => c.id).join(',')}\n`);
  if (options.stage === 'sent') {
    const send = webexDeliverySender(new WebexMessages({ baseUrl: () => options.webexApi, token: () => SANDBOX_WEBEX_BOT_TOKEN }));
    for (const delivery of claimed) await send(delivery);
    process.stdout.write('sent\n');
  }
  // Killed here: nothing after this point is recorded.
  setInterval(() => undefined, 1_000);
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack) + '\n');
  process.exitCode = 1;
});
