import { languageOf, translate, type Language } from '../i18n';
import type { MessageKey } from '../i18n/catalogue';
import { clip, escapeMarkdown, linkUrl, oneLine } from './markdown';
import { clipRich, richToMarkdown, richToText } from './rich-text';
import type { ChangedField, EventKind, SourceEvent } from './source-event';

/** What goes into POST /v1/messages: markdown, a plain-text fallback, and one adaptive card. */
export interface RenderedNotification {
  markdown: string;
  text: string;
  card: AdaptiveCard;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
}

/** Webex card attachments (https://developer.webex.com/docs/api/guides/cards). */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

const headline: Record<EventKind, MessageKey> = {
  'issue.created': 'notify.headline.issueCreated',
  'issue.updated': 'notify.headline.issueUpdated',
  'issue.deleted': 'notify.headline.issueDeleted',
  'comment.created': 'notify.headline.commentCreated',
  'comment.updated': 'notify.headline.commentUpdated',
  'source.resync': 'notify.headline.sourceResync',
};

const fieldLabel: Record<ChangedField, MessageKey> = {
  status: 'notify.field.status',
  assignee: 'notify.field.assignee',
  priority: 'notify.field.priority',
  summary: 'notify.field.summary',
  list: 'notify.field.list',
  due: 'notify.field.due',
  closed: 'notify.field.closed',
  member: 'notify.field.member',
  label: 'notify.field.label',
};

const openLabel: Record<SourceEvent['source'], MessageKey> = {
  jira: 'notify.open.jira',
  trello: 'notify.open.trello',
  graph: 'notify.open.graph',
};

/**
 * Renders one event for a space. `marker` (the delivery id) is put on the card as an element
 * id, invisible to people, so a delivery in doubt after a crash can be recognised in the space.
 */
export function renderNotification(event: SourceEvent, locale: string, marker?: string): RenderedNotification {
  const lang: Language = languageOf(locale);
  const t = (key: MessageKey, params: Record<string, string> = {}) => translate(lang, key, params);
  const actor = event.actor ? oneLine(event.actor, 80) : t('notify.someone');
  const key = oneLine(event.subject.key, 40);
  const title = oneLine(event.subject.title);
  const value = (v: string | null) => (v === null || v === '' ? t('notify.none') : oneLine(v, 120));

  const url = linkUrl(event.subject.url);
  const link = url ? `[${escapeMarkdown(key)}](${url})` : `**${escapeMarkdown(key)}**`;
  // A notice about the source itself has no title of its own: the headline says it all.
  const titled = event.kind !== 'source.resync';
  const mdLines = [`${t(headline[event.kind], { actor: `**${escapeMarkdown(actor)}**`, issue: link })}${titled ? `: ${escapeMarkdown(title)}` : ''}`];
  const textLines = [`${t(headline[event.kind], { actor, issue: key })}${titled ? `: ${title}` : ''}`];
  const facts: { title: string; value: string }[] = [];

  const shown = (field: ChangedField, v: string | null): string => {
    if (field === 'closed' && v !== null) return t(v === 'yes' ? 'notify.yes' : 'notify.no');
    if (field === 'due' && v !== null && !Number.isNaN(Date.parse(v))) return `${new Date(v).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return value(v);
  };
  for (const change of event.changes) {
    const label = t(fieldLabel[change.field]);
    const from = shown(change.field, change.from);
    const to = shown(change.field, change.to);
    mdLines.push(`- ${label}: ${escapeMarkdown(from)} → ${escapeMarkdown(to)}`);
    textLines.push(`${label}: ${from} -> ${to}`);
    facts.push({ title: label, value: escapeMarkdown(`${from} → ${to}`) });
  }
  if (event.kind === 'issue.created') {
    for (const [label, v] of [[t('notify.field.type'), event.subject.type], [t('notify.field.priority'), event.subject.priority]] as const) {
      if (v) facts.push({ title: label, value: escapeMarkdown(oneLine(v, 60)) });
    }
  }
  // A formatted comment (Jira) keeps its formatting, rebuilt in Webex markdown; plain text is escaped.
  const richOptions = { someone: t('notify.someone').toLowerCase() };
  const commentText = (max: number): string =>
    event.commentRich ? clip(richToText(clipRich(event.commentRich, max), richOptions), max + 50) : clip(event.comment ?? '', max);
  if (event.comment !== null) {
    if (event.commentRich) {
      mdLines.push(...richToMarkdown(clipRich(event.commentRich, 1000), richOptions).split('\n').map((l) => (l ? `> ${l}` : '>')));
    } else mdLines.push(...escapeMarkdown(commentText(1000)).split('\n').map((l) => `> ${l}`));
    textLines.push(commentText(1000));
  }

  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      ...(marker ? { id: `een-delivery-${marker}` } : {}),
      text: t(headline[event.kind], { actor: escapeMarkdown(actor), issue: escapeMarkdown(key) }),
      weight: 'Bolder',
      wrap: true,
    },
    ...(titled ? [{ type: 'TextBlock', text: escapeMarkdown(title), size: 'Medium', wrap: true }] : []),
  ];
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  if (event.comment !== null) body.push({ type: 'TextBlock', text: escapeMarkdown(commentText(500)), wrap: true, isSubtle: true });

  // A Jira issue can be moved from the space: the press asks Jira for the moves allowed now
  // (core/notifications/replies); which issue comes from this message's delivery, not from the data.
  const movable = event.source === 'jira' && event.kind !== 'issue.deleted';
  const changeStatus = { type: 'Action.Submit', title: t('reply.changeStatus'), data: { action: 'jiraTransitions', lang } };
  return {
    markdown: mdLines.join('\n'),
    text: textLines.join('\n'),
    card: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body,
      ...(url || movable ? { actions: [...(url ? [{ type: 'Action.OpenUrl', title: t(openLabel[event.source]), url }] : []), ...(movable ? [changeStatus] : [])] } : {}),
    },
  };
}

/** Webex refuses a message whose text or markdown is longer (https://developer.webex.com/docs/api/v1/messages/create-a-message). */
export const WEBEX_MESSAGE_MAX_BYTES = 7439;

/** How much of each change a digest line shows: all of it, then less while the message is too long. */
interface DigestDetail {
  title: number;
  changes: number;
  comment: number;
  links: boolean;
}
const digestDetails: DigestDetail[] = [
  { title: 120, changes: 3, comment: 120, links: true },
  { title: 60, changes: 1, comment: 0, links: true },
  { title: 40, changes: 0, comment: 0, links: false },
];

/**
 * A burst to one space as one message: a heading with the count, then one line per change,
 * oldest first, each with who did what to which item (linked), its title and what changed
 * ("Status: To Do → Done") or the start of the comment. The card lists the same lines (Webex
 * allows one card per message). Should the lines not fit Webex's 7439 bytes, they say less.
 */
export function renderDigest(events: SourceEvent[], locale: string, marker?: string): RenderedNotification {
  const lang: Language = languageOf(locale);
  const t = (key: MessageKey, params: Record<string, string | number> = {}) => translate(lang, key, params);
  const heading = t('notify.digest', { count: events.length });
  let rendered: RenderedNotification | undefined;
  for (const detail of digestDetails) {
    const lines = events.map((e) => digestLine(e, t, detail));
    rendered = {
      markdown: [`**${escapeMarkdown(heading)}**`, ...lines.map((l) => `- ${l.markdown}`)].join('\n'),
      text: [heading, ...lines.map((l) => `- ${l.text}`)].join('\n'),
      card: {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.3',
        body: [
          { type: 'TextBlock', ...(marker ? { id: `een-delivery-${marker}` } : {}), text: heading, weight: 'Bolder', wrap: true },
          ...lines.map((l) => ({ type: 'TextBlock', text: l.card, wrap: true, spacing: 'Small' })),
        ],
      },
    };
    if (Buffer.byteLength(rendered.markdown) <= WEBEX_MESSAGE_MAX_BYTES && Buffer.byteLength(rendered.text) <= WEBEX_MESSAGE_MAX_BYTES) break;
  }
  return rendered!;
}

function digestLine(
  event: SourceEvent,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
  detail: DigestDetail,
): { markdown: string; text: string; card: string } {
  const actor = event.actor ? oneLine(event.actor, 80) : t('notify.someone');
  const key = oneLine(event.subject.key, 40);
  const title = oneLine(event.subject.title, detail.title);
  const url = detail.links ? linkUrl(event.subject.url) : null;
  const link = url ? `[${escapeMarkdown(key)}](${url})` : `**${escapeMarkdown(key)}**`;
  const value = (v: string | null) => (v === null || v === '' ? t('notify.none') : oneLine(v, 40));
  const said = event.changes.slice(0, detail.changes).map((c) => {
    const shown = (v: string | null) => (c.field === 'closed' && v !== null ? t(v === 'yes' ? 'notify.yes' : 'notify.no') : value(v));
    return `${t(fieldLabel[c.field])}: ${shown(c.from)} → ${shown(c.to)}`;
  });
  if (event.changes.length > said.length && detail.changes > 0) said.push(t('notify.digestMore', { count: event.changes.length - said.length }));
  if (event.comment !== null && detail.comment > 0) said.push(t('notify.digestQuote', { text: oneLine(event.comment, detail.comment) }));
  const rest = said.length > 0 ? ` — ${said.join('; ')}` : '';
  const plain = `${t(headline[event.kind], { actor, issue: key })}: ${title}${rest}`;
  return {
    markdown: `${t(headline[event.kind], { actor: `**${escapeMarkdown(actor)}**`, issue: link })}: ${escapeMarkdown(title)}${escapeMarkdown(rest)}`,
    text: plain,
    card: escapeMarkdown(plain),
  };
}

/**
 * The compact format (`format compact`): one line per change, each starting with the item's link,
 * then what changed and who did it ("[KAN-1](…) Status: To Do → Done — Anna"). A change without
 * field changes (created, deleted, a comment) is its headline, with the link, and the title or the
 * comment's start. The card repeats the lines (it also carries the delivery marker, see renderNotification).
 */
export function renderCompact(events: SourceEvent[], locale: string, marker?: string): RenderedNotification {
  const lang: Language = languageOf(locale);
  const t = (key: MessageKey, params: Record<string, string | number> = {}) => translate(lang, key, params);
  const lines: { markdown: string; text: string }[] = [];
  for (const event of events) {
    const actor = event.actor ? oneLine(event.actor, 60) : t('notify.someone');
    const key = oneLine(event.subject.key, 40);
    const url = linkUrl(event.subject.url);
    const link = url ? `[${escapeMarkdown(key)}](${url})` : `**${escapeMarkdown(key)}**`;
    const value = (v: string | null) => (v === null || v === '' ? t('notify.none') : oneLine(v, 60));
    if (event.changes.length > 0) {
      for (const c of event.changes) {
        const shown = (v: string | null) => (c.field === 'closed' && v !== null ? t(v === 'yes' ? 'notify.yes' : 'notify.no') : value(v));
        const said = `${t(fieldLabel[c.field])}: ${shown(c.from)} → ${shown(c.to)} — ${actor}`;
        lines.push({ markdown: `${link} ${escapeMarkdown(said)}`, text: `${key} ${said}` });
      }
      continue;
    }
    // The headline with the link in it ("Anna created [KAN-1](…): title"), the title left out
    // where it is the key (a file's name).
    const title = oneLine(event.subject.title, 80);
    const detail = event.comment !== null ? `“${oneLine(event.comment, 80)}”` : event.kind === 'source.resync' || title === key ? '' : title;
    const tail = detail ? `: ${detail}` : '';
    lines.push({
      markdown: `${t(headline[event.kind], { actor: escapeMarkdown(actor), issue: link })}${escapeMarkdown(tail)}`,
      text: `${t(headline[event.kind], { actor, issue: key })}${tail}`,
    });
  }
  return {
    markdown: lines.map((l) => l.markdown).join('\n'),
    text: lines.map((l) => l.text).join('\n'),
    card: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body: lines.map((l, i) => ({ type: 'TextBlock', ...(i === 0 && marker ? { id: `een-delivery-${marker}` } : {}), text: escapeMarkdown(l.text), wrap: true, spacing: 'Small' })),
    },
  };
}

/** The headline and field-name keys, for renderers of other shapes (digests/render-scheduled.ts). */
export { headline as headlineKeys, fieldLabel as fieldLabelKeys };
