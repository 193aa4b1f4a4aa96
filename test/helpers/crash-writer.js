// Writes audit rows one transaction at a time and prints each id once it is committed, until
// it is killed. Runs from the built dist/ so it is a real process, as `npm start` would be.
// Usage: node crash-writer.js sqlite <file> | postgres <url> <schema>
const { openStore, AuditLog } = require('../../dist/core/internal');

async function main() {
  const [dialect, location, schema] = process.argv.slice(2);
  const store = dialect === 'sqlite'
    ? openStore({ kind: 'sqlite', file: location })
    : openStore({ kind: 'postgres', url: location }, { schema });
  await store.migrate();
  const audit = new AuditLog(store.db);
  for (let n = 1; ; n++) {
    await audit.record({ actor: 'crash-writer', action: `write-${n}`, outcome: 'succeeded' });
    process.stdout.write(`${n}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack) + '\n');
  process.exit(1);
});
