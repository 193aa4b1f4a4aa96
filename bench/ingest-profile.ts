import { hasFunction, readProfiles, timeByKind, type Window } from './cpu-profile';
import { INGEST_KINDS, ingestWork } from './ingest-work';

/** One phase of a profiled ingest run: its window and the webhooks answered in it. */
export interface Phase extends Window {
  requests: number;
}

/** Where one thread's time went in one phase, ms per kind of work (idle included). */
export interface ThreadTime {
  threadId: number;
  role: string;
  byKind: Map<string, number>;
  totalMs: number;
}

export interface IngestProfile {
  closed: { phase: Phase; threads: ThreadTime[] };
  atRate: { phase: Phase; threads: ThreadTime[] };
}

/**
 * The service's threads, named by what they run: the main thread (0) holds the HTTP server, the
 * router and the outbox; the SQLite store's thread is the one running runBatch
 * (core/store/sqlite-thread.ts); other workers (the write-ahead log's checkpointer, say) are
 * "other thread". A worker's own kinds are not classified: it is busy or idle.
 */
function threadTimes(profiles: ReturnType<typeof readProfiles>, phase: Phase): ThreadTime[] {
  return profiles.map(({ threadId, profile }) => {
    const role = threadId === 0 ? 'main thread' : hasFunction(profile, 'runBatch') ? 'SQLite store thread' : 'other thread';
    const byKind = timeByKind(profile, phase, threadId === 0 ? ingestWork : () => 'busy');
    let totalMs = 0;
    for (const ms of byKind.values()) totalMs += ms;
    return { threadId, role, byKind, totalMs };
  });
}

export function ingestProfile(dir: string, pid: number, closed: Phase, atRate: Phase): IngestProfile {
  const profiles = readProfiles(dir, pid);
  if (!profiles.some((p) => p.threadId === 0)) throw new Error(`no CPU profile of the service's main thread in ${dir}`);
  return { closed: { phase: closed, threads: threadTimes(profiles, closed) }, atRate: { phase: atRate, threads: threadTimes(profiles, atRate) } };
}

const share = (ms: number, total: number): string => `${total > 0 ? Math.round((100 * ms) / total) : 0} %`;
const perRequest = (ms: number, requests: number): string => String(Math.round((ms * 1000) / Math.max(1, requests)));

/** A thread's time in a phase that was not idle, ms. */
const busyMs = (thread: ThreadTime): number => thread.totalMs - (thread.byKind.get('idle') ?? 0);

/** Busy share of a thread in a phase: everything but idle. */
export function busyShare(thread: ThreadTime | undefined): number {
  if (!thread || thread.totalMs === 0) return NaN;
  return busyMs(thread) / thread.totalMs;
}

/**
 * The table docs/performance.md shows for one profiled run: the main thread's time per webhook by
 * kind of work in the closed loop (wall time on the thread, a descheduled thread's included, so
 * it can exceed the CPU time /proc counts), and each thread's busy share in both loops.
 */
export function profileRows(profile: IngestProfile): string[][] {
  const main = (t: ThreadTime[]) => t.find((x) => x.threadId === 0)!;
  const closedMain = main(profile.closed.threads);
  const openMain = main(profile.atRate.threads);
  const { requests } = profile.closed.phase;
  const rows = INGEST_KINDS.filter((k) => (closedMain.byKind.get(k) ?? 0) > 0 || (openMain.byKind.get(k) ?? 0) > 0).map((kind) => [
    `main thread: ${kind}`,
    perRequest(closedMain.byKind.get(kind) ?? 0, requests),
    share(closedMain.byKind.get(kind) ?? 0, closedMain.totalMs),
    share(openMain.byKind.get(kind) ?? 0, openMain.totalMs),
  ]);
  for (const thread of profile.closed.threads.filter((t) => t.threadId !== 0)) {
    const open = profile.atRate.threads.find((t) => t.threadId === thread.threadId);
    rows.push([`${thread.role} ${thread.threadId}: busy`, perRequest(busyMs(thread), requests), share(busyMs(thread), thread.totalMs), open ? share(busyMs(open), open.totalMs) : '—']);
  }
  return rows;
}

/** The largest kinds of the main thread's closed-loop time per webhook, for a sentence. */
export function largestKinds(profile: IngestProfile, count: number): { kind: string; usPerRequest: number }[] {
  const main = profile.closed.threads.find((t) => t.threadId === 0)!;
  return [...main.byKind]
    .filter(([kind]) => kind !== 'idle')
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([kind, ms]) => ({ kind, usPerRequest: Math.round((ms * 1000) / Math.max(1, profile.closed.phase.requests)) }));
}
