/**
 * The baselines of the ingest benchmark, each in its own process like the service:
 *
 *   node dist/bench/baseline-server.js http <port>      bare node:http, 204 to everything
 *   node dist/bench/baseline-server.js restify <port>   a plain restify route, POST /hooks/jira → 204
 *
 * The restify one is the same restify version the service runs on, with no plugins: what any
 * route costs before een-bridge reads, checks and stores the webhook.
 */
import http from 'node:http';
import restify from 'restify';

const [kind, portArg] = process.argv.slice(2);
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
} else {
  process.stderr.write(`unknown baseline ${String(kind)}; use http or restify\n`);
  process.exitCode = 2;
}
