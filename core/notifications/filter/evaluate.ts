import { jiraPriorities } from '../jira-priorities';
import type { EventKind, SourceEvent } from '../source-event';
import { ME, NOBODY, type EventWord, type FilterNode, type FilterTerm } from './ast';
import { wildcardMatches } from './wildcard';

/** Who `assignee=me` is: the person who set the filter (their e-mail address, lower-case). */
export interface FilterContext {
  subscriber: string | null;
}

const kindsOf: Record<EventWord, readonly EventKind[]> = {
  created: ['issue.created'],
  updated: ['issue.updated'],
  deleted: ['issue.deleted'],
  commented: ['comment.created', 'comment.updated'],
};

/**
 * Whether the event passes the filter. A resync notice always does: whatever the filter, a space
 * must hear that changes may have been missed. Never throws: the event is plain data from our own
 * normalisers, and a field a source does not have simply does not match.
 */
export function evaluateFilter(node: FilterNode, event: SourceEvent, context: FilterContext): boolean {
  if (event.kind === 'source.resync') return true;
  return evaluate(node, event, context);
}

function evaluate(node: FilterNode, event: SourceEvent, context: FilterContext): boolean {
  switch (node.type) {
    case 'and':
      return node.items.every((i) => evaluate(i, event, context));
    case 'or':
      return node.items.some((i) => evaluate(i, event, context));
    case 'not':
      return !evaluate(node.item, event, context);
    case 'term':
      return termMatches(node, event, context);
  }
}

const same = (a: string | null | undefined, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
const anyOf = (have: readonly (string | null | undefined)[], values: readonly string[]): boolean => have.some((h) => values.some((v) => same(h, v)));

function termMatches(term: FilterTerm, event: SourceEvent, context: FilterContext): boolean {
  const { subject } = event;
  const v = term.values;
  switch (term.field) {
    case 'event':
      return v.some((w) => Object.hasOwn(kindsOf, w) && kindsOf[w as EventWord].includes(event.kind));
    case 'type':
      return anyOf([subject.type], v);
    case 'priority': {
      if (term.op === '=') return anyOf([subject.priority], v);
      // As the older `minPriority`: a priority outside Jira's default scheme (or none, as on a
      // Trello card) never filters an event out.
      const rank = jiraPriorities.findIndex((p) => same(subject.priority, p));
      return rank < 0 || rank >= jiraPriorities.findIndex((p) => p === v[0]);
    }
    case 'label':
      return anyOf(subject.labels ?? [], v);
    case 'component':
      return anyOf(subject.components ?? [], v);
    case 'assignee':
      return v.some((w) => {
        if (w === ME) return context.subscriber !== null && same(subject.assigneeEmail, context.subscriber);
        if (w === NOBODY) return subject.assignee === null;
        return same(subject.assignee, w) || same(subject.assigneeEmail, w);
      });
    case 'status':
      if (term.op === '=') return event.source !== 'trello' && anyOf([subject.status], v);
      return event.changes.some((c) => c.field === 'status' && anyOf([c.to], v));
    case 'list':
      if (event.source !== 'trello') return false;
      if (term.op === '=') return anyOf([subject.status], v);
      // Entering a list: moved into it, or created in it (for a Trello card, `status` is its list).
      return event.changes.some((c) => c.field === 'list' && anyOf([c.to], v)) || (event.kind === 'issue.created' && anyOf([subject.status], v));
    case 'name':
      return typeof subject.fileName === 'string' && v.some((pattern) => wildcardMatches(pattern, subject.fileName!));
    case 'project':
      return event.source === 'jira' && anyOf([event.sourceKey], v);
  }
}
