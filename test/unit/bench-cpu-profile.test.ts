import { timeByKind, type CpuProfile } from '../../bench/cpu-profile';
import { ingestWork } from '../../bench/ingest-work';

/**
 * The benchmark's reading of V8 CPU profiles (the .cpuprofile format: nodes, samples and the µs
 * between them), on a profile made by hand so every number is known.
 */
const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url }, children });
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 3, 4, 7]),
    frame(2, '(idle)', ''),
    frame(3, '(garbage collector)', ''),
    // An HTTP request handled by our webhook code, which calls JSON.parse (a Node.js internal: ours).
    frame(4, 'parserOnIncoming', 'node:_http_server', [5]),
    frame(5, 'receiveJiraWebhook', 'file:///srv/dist/core/notifications/hooks.js', [6]),
    frame(6, 'parse', ''),
    // A timer with none of our code on the stack.
    frame(7, 'listOnTimeout', 'node:internal/timers'),
  ],
  startTime: 1_000,
  endTime: 1_000 + 70,
  // Each sample stands for the 10 µs until the next one.
  samples: [2, 2, 3, 4, 5, 6, 7],
  timeDeltas: [0, 10, 10, 10, 10, 10, 10],
};

describe('timeByKind', () => {
  it('charges a frame without a kind of its own to its caller, and the rest to runtime', () => {
    const ms = timeByKind(profile, { fromUs: 0, toUs: 10_000 }, ingestWork);
    expect(Object.fromEntries([...ms].map(([k, v]) => [k, Math.round(v * 1000)]))).toEqual({
      idle: 20,
      'garbage collection': 10,
      'HTTP server (node:http, restify)': 10,
      'webhook (body, signature, parse, validation)': 20,
      runtime: 10,
    });
  });

  it('counts only the samples inside the window, cutting the ones at its edges', () => {
    // From 1,015 to 1,045 µs: half of the second idle sample, GC, the HTTP frame and half of the webhook's.
    const ms = timeByKind(profile, { fromUs: 1_015, toUs: 1_045 }, ingestWork);
    expect(Object.fromEntries([...ms].map(([k, v]) => [k, Math.round(v * 1000)]))).toEqual({
      idle: 5,
      'garbage collection': 10,
      'HTTP server (node:http, restify)': 10,
      'webhook (body, signature, parse, validation)': 5,
    });
  });
});
