import { languageOf, translate, type Language } from '../../i18n';
import type { MessageKey } from '../../i18n/catalogue';
import { escapeMarkdown, linkUrl, oneLine } from '../markdown';
import { fieldLabelKeys, headlineKeys, WEBEX_MESSAGE_MAX_BYTES, type RenderedNotification } from '../render';
import type { SourceEvent } from '../source-event';

/** How much each change says: everything, then less while the message is too long for Webex. */
const details = [
  { title: 120, changes: 4, comment: 120 },
  { title: 60, changes: 1, comment: 0 },
  { title: 30, changes: 0, comment: 0 },
] as const;
type Detail = (typeof details)[number];

interface Item {
  key: string;
  title: string;
  url: string | null;
  events: SourceEvent[];
}

/**
 * A space's scheduled digest as one message: a heading with the counts, then each item once,
 * in the order its first change came in, with its link and title, and under it its changes in
 * the order they happened ("Anna: Status: To Do → Done"). When even the shortest form is too long
 * for Webex's 7439 bytes, the last items are left out and counted ("and 3 more items"). The
 * card carries the delivery marker, so a digest in doubt after a crash is found like any message.
 */
export function renderScheduledDigest(events: SourceEvent[], locale: string, marker?: string): RenderedNotification {
  const lang: Language = languageOf(locale);
  const t = (key: MessageKey, params: Record<string, string | number> = {}) => translate(lang, key, params);
  const items = groupByItem(events);
  // Counted in words a person would write: "1 change to 1 item", not "1 changes to 1 items".
  const headingKey = events.length === 1 ? 'notify.scheduled.headingOne' : items.length === 1 ? 'notify.scheduled.headingOneItem' : 'notify.scheduled.heading';
  const heading = t(headingKey, { count: events.length, items: items.length });
  let shown = items.length;
  for (;;) {
    for (const detail of details) {
      const rendered = render(items.slice(0, shown), items.length - shown, heading, detail, t, marker);
      if (fits(rendered) || (detail === details.at(-1) && shown <= 1)) return rendered;
    }
    shown -= 1;
  }
}

function fits(r: RenderedNotification): boolean {
  return Buffer.byteLength(r.markdown) <= WEBEX_MESSAGE_MAX_BYTES && Buffer.byteLength(r.text) <= WEBEX_MESSAGE_MAX_BYTES;
}

function groupByItem(events: SourceEvent[]): Item[] {
  const items = new Map<string, Item>();
  for (const event of events) {
    const id = `${event.source}\n${event.sourceKey}\n${event.subject.key}`;
    const item = items.get(id) ?? { key: event.subject.key, title: event.subject.title, url: event.subject.url, events: [] };
    // The newest title and link win: an item renamed during the day is shown by its current name.
    item.title = event.subject.title;
    item.url = event.subject.url ?? item.url;
    item.events.push(event);
    items.set(id, item);
  }
  return [...items.values()];
}

function render(
  items: Item[],
  leftOut: number,
  heading: string,
  detail: Detail,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
  marker?: string,
): RenderedNotification {
  const md = [`**${escapeMarkdown(heading)}**`];
  const text = [heading];
  const body: Record<string, unknown>[] = [{ type: 'TextBlock', ...(marker ? { id: `een-delivery-${marker}` } : {}), text: escapeMarkdown(heading), weight: 'Bolder', wrap: true }];
  for (const item of items) {
    const key = oneLine(item.key, 40);
    const title = oneLine(item.title, detail.title);
    const url = linkUrl(item.url);
    const link = url ? `[${escapeMarkdown(key)}](${url})` : `**${escapeMarkdown(key)}**`;
    // An item whose title is its key (a file's name) is not named twice.
    const named = title && title !== key ? ` ${title}` : '';
    md.push('', `${link}${escapeMarkdown(named)}`);
    text.push('', `${key}${named}${url ? ` ${url}` : ''}`);
    body.push({ type: 'TextBlock', text: escapeMarkdown(`${key}${named}`), weight: 'Bolder', wrap: true, spacing: 'Medium' });
    for (const event of item.events) {
      const line = changeLine(event, key, detail, t);
      md.push(`- ${escapeMarkdown(line)}`);
      text.push(`- ${line}`);
      body.push({ type: 'TextBlock', text: escapeMarkdown(line), wrap: true, spacing: 'None', isSubtle: true });
    }
  }
  if (leftOut > 0) {
    const more = t('notify.scheduled.moreItems', { count: leftOut });
    md.push('', `_${escapeMarkdown(more)}_`);
    text.push('', more);
    body.push({ type: 'TextBlock', text: escapeMarkdown(more), wrap: true, isSubtle: true });
  }
  return {
    markdown: md.join('\n'),
    text: text.join('\n'),
    card: { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3', body },
  };
}

/** "Anna: Status: To Do → Done; Priority: Low → High", or the headline when no field changed. */
function changeLine(event: SourceEvent, key: string, detail: Detail, t: (key: MessageKey, params?: Record<string, string | number>) => string): string {
  const actor = event.actor ? oneLine(event.actor, 60) : t('notify.someone');
  const value = (v: string | null) => (v === null || v === '' ? t('notify.none') : oneLine(v, 40));
  if (event.changes.length > 0 && event.kind === 'issue.updated') {
    const said = event.changes.slice(0, Math.max(detail.changes, 1)).map((c) => {
      const shown = (v: string | null) => (c.field === 'closed' && v !== null ? t(v === 'yes' ? 'notify.yes' : 'notify.no') : value(v));
      return `${t(fieldLabelKeys[c.field])}: ${shown(c.from)} → ${shown(c.to)}`;
    });
    if (event.changes.length > said.length) said.push(t('notify.digestMore', { count: event.changes.length - said.length }));
    return `${actor}: ${said.join('; ')}`;
  }
  const quote = event.comment !== null && detail.comment > 0 ? `: ${t('notify.digestQuote', { text: oneLine(event.comment, detail.comment) })}` : '';
  return `${t(headlineKeys[event.kind], { actor, issue: key })}${quote}`;
}
