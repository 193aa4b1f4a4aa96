import type { ImportantChange } from './subscriptions';
import type { FieldChange, SourceEvent } from './source-event';

/**
 * No echo (issue 15): within the changes folded into one message (those accepted within the
 * space's fold window, see Outbox.claimDue), consecutive edits of the same item by the same
 * person become one change: a field edited twice reads from its first old value to its last new
 * one ("To Do → Done", not "To Do → In Progress" and "In Progress → Done"), and a field put back
 * as it was drops out; an edit left with no change at all is gone. Only updates are folded: a
 * creation, deletion or comment is news of its own. Order is kept.
 */
export function foldEchoes(events: readonly SourceEvent[]): SourceEvent[] {
  // Each output change remembers whether edits were joined into it: only a joined field that
  // ends where it began is dropped (a lone change is passed on as the source said it).
  const out: { event: SourceEvent; joined: Set<FieldChange> }[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (last && sameEdit(last.event, event)) {
      const changes: FieldChange[] = [...last.event.changes];
      const joined = new Set(last.joined);
      for (const c of event.changes) {
        const at = changes.findIndex((e) => e.field === c.field);
        const earlier = changes[at];
        if (earlier) {
          const merged = { ...earlier, to: c.to };
          changes[at] = merged;
          joined.delete(earlier);
          joined.add(merged);
        } else changes.push({ ...c });
      }
      out[out.length - 1] = { event: { ...event, changes }, joined };
    } else out.push({ event: { ...event, changes: [...event.changes] }, joined: new Set() });
  }
  return out.flatMap(({ event, joined }) => {
    // An update that never listed fields (a OneDrive file's new version) stays: it is the news.
    if (joined.size === 0) return [event];
    const changes = event.changes.filter((c) => !(joined.has(c) && c.from === c.to));
    return changes.length > 0 ? [{ ...event, changes }] : [];
  });
}

function sameEdit(a: SourceEvent, b: SourceEvent): boolean {
  if (a.kind !== 'issue.updated' || b.kind !== 'issue.updated') return false;
  if (a.source !== b.source || a.sourceKey !== b.sourceKey || a.subject.key !== b.subject.key) return false;
  const who = (e: SourceEvent) => e.actorEmail ?? (e.actor === null ? null : `name:${e.actor}`);
  return who(a) !== null && who(a) === who(b);
}

/** Whether a change made by someone in the space (by e-mail) is to be left out. */
export function madeByMember(event: SourceEvent, memberEmails: ReadonlySet<string>): boolean {
  const email = event.actorEmail?.toLowerCase();
  return email !== undefined && email !== '' && memberEmails.has(email);
}

/**
 * The part of a change the subscription marks as important, for the one-line summary at the top
 * of the space when the details go into the item's thread; undefined when nothing in it is.
 */
export function importantPart(event: SourceEvent, important: readonly ImportantChange[]): SourceEvent | undefined {
  const wants = new Set<string>(important);
  if (event.kind === 'issue.created') return wants.has('created') ? event : undefined;
  if (event.kind === 'issue.deleted') return wants.has('deleted') ? event : undefined;
  if (event.kind === 'comment.created' || event.kind === 'comment.updated') return wants.has('comment') ? event : undefined;
  if (event.kind === 'source.resync') return event;
  const changes = event.changes.filter((c) => wants.has(c.field === 'list' ? 'status' : c.field));
  return changes.length > 0 ? { ...event, changes } : undefined;
}

/** Who is in a space, by e-mail, as Webex's memberships list gives it. */
export type MembershipLister = (roomId: string) => Promise<string[]>;

/**
 * The e-mail addresses of a space's members, kept for a while: skip-own asks for every change to
 * a space, and membership changes rarely. A failed look-up is not kept (the change is then sent:
 * better an echo than a change lost).
 */
export class SpaceMembers {
  private readonly cache = new Map<string, { at: number; emails: Set<string> }>();

  constructor(
    private readonly list: MembershipLister,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async emails(roomId: string): Promise<Set<string>> {
    const hit = this.cache.get(roomId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.emails;
    const emails = new Set((await this.list(roomId)).map((e) => e.toLowerCase()));
    this.cache.set(roomId, { at: this.now(), emails });
    // Bounded: a service with many spaces keeps the most recently asked.
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value!);
    return emails;
  }
}
