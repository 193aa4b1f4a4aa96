import type { Actor } from '../actor';
import type { AuditLog } from '../audit-log';
import { UpstreamError, UserError } from '../errors';
import { inExtensionPlan, type DialGuard } from './dial-policy';
import type { Line, LineLinker } from './line-linking';
import { looksLikePhoneNumber, parseDialTarget, shortDigitsOf, xsiAddressOf, type DialTarget } from './phone-number';
import type { CallDetail, CallLogEntry, DirectoryEntry, Telephony } from './telephony';

/** Who acts, as calling needs it: an een-bridge user (users.id) within a tenant (Teams tenant, Slack team…). */
export interface CallingActor {
  userId: string;
  tenantId: string;
}

/** Every calling use case takes the one Actor (core/actor.ts); the narrow form stays for callers that hold only ids. */
export type Caller = Actor | CallingActor;

/** The user and tenant of a caller; a person een-bridge does not serve has no line to call from. */
export function callerOf(caller: Caller): CallingActor {
  if (!('who' in caller)) return caller;
  if (caller.who.userId === undefined) throw new UserError('calling.notLinked', {}, 403);
  return { userId: caller.who.userId, tenantId: caller.organisation ?? '' };
}

export interface PlacedCall {
  callId: string;
  target: DialTarget;
  /** Who is called, when the call came from a directory hit. */
  name?: string;
}

/** "call <number or name>": either a call was placed, or a name matched several people. */
export type CallRequestOutcome = { placed: PlacedCall } | { choices: DirectoryEntry[] };

export interface CallingDeps {
  telephony: Telephony;
  lines: LineLinker;
  guard: DialGuard;
  audit: AuditLog;
}

/**
 * Click-to-dial through KPN EEN: the use cases every adapter calls. A user dials only
 * from their own linked line; every target passes the tenant's dial policy first.
 */
export class Calling {
  constructor(private readonly deps: CallingDeps) {}

  /** Rings the actor's own device; when they answer, BroadWorks dials `target`. */
  async placeCall(caller: Caller, target: string | DialTarget): Promise<PlacedCall> {
    const actor = callerOf(caller);
    const dial = await this.classify(actor, typeof target === 'string' ? parseDialTarget(target) : target);
    const start = await this.deps.guard.authoriseThen(actor, dial, async () => {
      const line = await this.deps.lines.lineOf(actor.userId);
      try {
        return await this.deps.telephony.placeCall(line.broadworksUserId, xsiAddressOf(dial));
      } catch (err) {
        await this.record(actor, 'calling.placeCall', 'failed', { error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    });
    // The decision is on record already; the outcome follows without the caller waiting for it.
    this.deps.audit.recordBehind({ actor: actor.userId, action: 'calling.placeCall', outcome: 'succeeded', detail: { tenantId: actor.tenantId, callId: start.callId } });
    return { callId: start.callId, target: dial };
  }

  /**
   * A short number is an internal extension only when the administrator's extension plan or
   * the enterprise directory (in the actor's view, exact `extension`) says so; otherwise it
   * stays a short code for the dial policy to judge (issue 13: 1888 and 1850 are Dutch paid
   * information numbers). A target handed in as an extension is checked the same way.
   */
  private async classify(actor: CallingActor, target: DialTarget): Promise<DialTarget> {
    const digits = shortDigitsOf(target);
    if (digits === undefined) return target;
    const extension: DialTarget = { kind: 'extension', extension: digits, display: digits };
    if (inExtensionPlan(await this.deps.guard.policyFor(actor.tenantId), digits)) return extension;
    const line = await this.deps.lines.lineOf(actor.userId);
    const hits = await this.deps.telephony.searchDirectory(line.broadworksUserId, { extension: digits, limit: 5 });
    return hits.some((h) => h.extension === digits) ? extension : { kind: 'short', digits, display: digits };
  }

  /** A number is dialled; a name is looked up and dialled when exactly one person matches. */
  async callNumberOrName(caller: Caller, text: string): Promise<CallRequestOutcome> {
    const actor = callerOf(caller);
    if (looksLikePhoneNumber(text) || text.trim().length === 0) return { placed: await this.placeCall(actor, text) };
    const hits = (await this.searchDirectory(actor, text)).filter((h) => dialableOf(h) !== undefined);
    if (hits.length === 0) throw new UserError('calling.directory.noMatch', { query: text.trim().slice(0, 64) }, 404);
    if (hits.length > 1) return { choices: hits };
    const hit = hits[0]!;
    return { placed: { ...(await this.placeCall(actor, dialableOf(hit)!)), name: hit.displayName } };
  }

  async hangUp(caller: Caller, callId: string): Promise<void> {
    const actor = callerOf(caller);
    const line = await this.deps.lines.lineOf(actor.userId);
    try {
      await this.deps.telephony.hangUp(line.broadworksUserId, callId);
    } catch (err) {
      // Calls are addressed under the actor's own line, so another user's call is a 404 too.
      if (err instanceof UpstreamError && err.status === 404) throw new UserError('calling.callNotFound', {}, 404);
      throw err;
    }
    await this.record(actor, 'calling.hangUp', 'succeeded', { callId });
  }

  /** "hangup" without saying which call: ends every call on the actor's line. */
  async hangUpCurrent(caller: Caller): Promise<number> {
    const actor = callerOf(caller);
    const line = await this.deps.lines.lineOf(actor.userId);
    const active = await this.deps.telephony.activeCalls(line.broadworksUserId);
    if (active.length === 0) throw new UserError('calling.noActiveCall', {}, 404);
    for (const callId of active) await this.hangUp(actor, callId);
    return active.length;
  }

  /** Undefined once the call is over. */
  async callStatus(caller: Caller, callId: string): Promise<CallDetail | undefined> {
    const actor = callerOf(caller);
    const line = await this.deps.lines.lineOf(actor.userId);
    return this.deps.telephony.call(line.broadworksUserId, callId);
  }

  /**
   * The actor's own line, linking it on first use exactly as placing a call or listing recent
   * calls would; undefined when the person has no line. Pages that say "linked" ask this, so
   * they never disagree with the calls they list.
   */
  async ownLine(caller: Caller): Promise<Line | undefined> {
    const actor = callerOf(caller);
    try {
      return await this.deps.lines.lineOf(actor.userId);
    } catch (err) {
      if (err instanceof UserError && err.key === 'calling.notLinked') return undefined;
      throw err;
    }
  }

  async recentCalls(caller: Caller, limit = 10): Promise<CallLogEntry[]> {
    const actor = callerOf(caller);
    const line = await this.deps.lines.lineOf(actor.userId);
    return (await this.deps.telephony.callLogs(line.broadworksUserId)).slice(0, limit);
  }

  /** By name, number or extension, in the actor's view of the enterprise directory. */
  async searchDirectory(caller: Caller, query: string, limit = 10): Promise<DirectoryEntry[]> {
    const actor = callerOf(caller);
    const q = query.normalize('NFKC').trim().slice(0, 64);
    if (q.replace(/\s/g, '').length < 2) throw new UserError('calling.directory.queryTooShort');
    const line = await this.deps.lines.lineOf(actor.userId);
    const digits = q.replace(/[\s\-()./]/g, '');
    const search = /^\+?\d+$/.test(digits)
      ? digits.length <= 6 && !digits.startsWith('0') && !digits.startsWith('+') ? { extension: digits } : { number: digits }
      : { name: q };
    return this.deps.telephony.searchDirectory(line.broadworksUserId, { ...search, limit });
  }

  private async record(actor: CallingActor, action: string, outcome: 'succeeded' | 'failed', detail: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ actor: actor.userId, action, outcome, detail: { tenantId: actor.tenantId, ...detail } });
  }
}

/** What to dial for a directory entry: the extension inside the enterprise, else the number. */
export function dialableOf(entry: DirectoryEntry): string | undefined {
  return entry.extension ?? entry.number ?? entry.mobile;
}
