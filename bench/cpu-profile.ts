import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a thread's time went, from the V8 CPU profile Node writes with --cpu-prof: the
 * `.cpuprofile` format of the Chrome DevTools Protocol (Profiler.Profile: nodes with a callFrame
 * and children, samples naming a node, timeDeltas in µs between samples;
 * https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile). Its clock is
 * the monotonic one process.hrtime reads (checked on Linux: a profile's startTime and endTime
 * enclose the process's own hrtime readings), so a window taken by the benchmark selects samples.
 */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A window of monotonic time in µs (process.hrtime.bigint() / 1000). */
export interface Window {
  fromUs: number;
  toUs: number;
}

/**
 * What kind of work a frame is, or undefined for a frame that belongs to whoever called it (a
 * Node.js internal or a library called from our code is charged to our caller).
 */
export type Classify = (frame: { functionName: string; url: string }) => string | undefined;

/** V8's pseudo-frames: the thread waiting for work, collecting garbage, or in V8 itself. */
const IDLE = '(idle)';
const GC = '(garbage collector)';

/**
 * Time in ms per kind of work within `window`. A sample's kind is its own frame's, else the
 * nearest caller's that has one, else `runtime` (the event loop, timers and streams with none of
 * our code on the stack); idle time and garbage collection are kinds of their own.
 */
export function timeByKind(profile: CpuProfile, window: Window, classify: Classify): Map<string, number> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const kindOf = new Map<number, string>();
  const kind = (id: number): string => {
    const known = kindOf.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    const parent = parentOf.get(id);
    const own = frame.functionName === IDLE ? 'idle' : frame.functionName === GC ? 'garbage collection' : classify(frame);
    const found = own ?? (parent === undefined ? 'runtime' : kind(parent));
    kindOf.set(id, found);
    return found;
  };
  const totals = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one (the last, until the profile's end).
    const until = i + 1 < profile.samples.length ? at + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    const overlap = Math.min(until, window.toUs) - Math.max(at, window.fromUs);
    if (overlap <= 0) continue;
    const k = kind(profile.samples[i]!);
    totals.set(k, (totals.get(k) ?? 0) + overlap / 1000);
  }
  return totals;
}

/** Does the profile hold a frame of this name (to tell a process's threads apart)? */
export function hasFunction(profile: CpuProfile, name: string): boolean {
  return profile.nodes.some((n) => n.callFrame.functionName === name);
}

/**
 * The profiles one process wrote to `dir`, main thread first: Node names them
 * CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile, thread 0 being the main thread.
 */
export function readProfiles(dir: string, pid: number): { threadId: number; profile: CpuProfile }[] {
  return readdirSync(dir)
    .map((file) => ({ file, parts: file.split('.') }))
    .filter(({ parts }) => parts.length === 7 && parts[0] === 'CPU' && parts[3] === String(pid) && parts[6] === 'cpuprofile')
    .map(({ file, parts }) => ({ threadId: Number(parts[4]), profile: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile }))
    .sort((a, b) => a.threadId - b.threadId);
}
