/**
 * The baselines of the ingest benchmark, each in its own process like the service:
 *
 *   node dist/bench/baseline-server.js http <port>      bare node:http, 204 to everything
 *   node dist/bench/baseline-server.js restify <port>   a plain restify route, POST /hooks/jira → 204
 *   node dist/bench/baseline-server.js naive <port> <db> <secret>
 *                                                       what a user would write instead of een-bridge:
 *                                                       restify, an HMAC check, one SQLite insert per
 *                                                       request (synchronous=FULL), then 202
 *
 * The restify one is the same restify version the service runs on, with no plugins: what any
 * route costs before een-bridge reads, checks and stores the webhook.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import Database from 'better-sqlite3';
import restify from 'restify';

const [kind, portArg, dbPath, secret] = process.argv.slice(2);
const port = Number(portArg);

if (kind === 'http') {
  http
    .createServer((req, res) => {
      // Read the body as any real handler must, then answer.
      req.resume();
      req.on('end', () => {
        res.statusCode = 204;
        res.end();
      });
    })
    .listen(port, '127.0.0.1');
} else if (kind === 'restify') {
  const server = restify.createServer({ name: 'baseline' });
  server.post('/hooks/jira', (_req, res, next) => {
    res.send(204);
    next();
  });
  server.get('/readyz', (_req, res, next) => {
    res.send(200);
    next();
  });
  server.listen(port, '127.0.0.1');
} else if (kind === 'naive' && dbPath && secret) {
  // The durable handler anyone would write first: read the raw body, check Jira's
  // X-Hub-Signature (HMAC-SHA256 of the body), insert the event, answer. One transaction and one
  // disk sync per request, as een-bridge keeps (synchronous=FULL, WAL), but no group commit.
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table if not exists events (id text primary key, body text not null, received_at text not null)');
  const insert = db.prepare('insert or ignore into events (id, body, received_at) values (?, ?, ?)');
  const server = restify.createServer({ name: 'naive' });
  server.post('/hooks/jira', (req, res, next) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-hub-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.send(401);
        return next();
      }
      insert.run(String(req.headers['x-atlassian-webhook-identifier'] ?? ''), body.toString('utf8'), new Date().toISOString());
      res.send(202);
      return next();
    });
  });
  server.get('/readyz', (_req, res, next) => {
    res.send(200);
    next();
  });
  server.listen(port, '127.0.0.1');
} else {
  process.stderr.write(`unknown baseline ${String(kind)}; use http, restify or naive <db> <secret>\n`);
  process.exitCode = 2;
}
