import { z } from 'zod';
import { dialableOf, parseOwn, findPhoneNumbers, translate, xsiAddressOf, type Actor, type Calling } from '../core';
import { directoryEntryCard, numbersCard } from './cards';
import { INVOKE_DEADLINE_MS, LATE, withinDeadline } from './invoke-deadline';
import { escapeTeamsText } from './markdown';
import type { IncomingTurn, InvokeResult } from './turn';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/**
 * composeExtension/query (Teams docs, "Respond to search command"): parameters[].{name,value}
 * and queryOptions {skip, count}, with which Teams asks for further pages as the user scrolls.
 */
const query = z.object({
  commandId: z.string().max(64),
  parameters: z.array(z.object({ name: z.string().max(64), value: z.unknown() })).max(10).optional(),
  queryOptions: z.object({ skip: z.number().int().min(0).optional(), count: z.number().int().min(0).optional() }).optional(),
});

/** The most directory hits offered for one search: one page, with no further pages. */
const SEARCH_HITS = 10;

/** composeExtension/fetchTask from a message action: the message is in messagePayload.body. */
const fetchTask = z.object({
  commandId: z.string().max(64),
  messagePayload: z.object({ body: z.object({ content: z.string().max(100_000).optional() }).optional() }).optional(),
});

/** composeExtension/submitAction: the pressed button's data. */
const submitAction = z.object({
  commandId: z.string().max(64),
  data: z.object({ action: z.literal('call'), target: z.string().min(1).max(64) }),
});

export interface MessageExtensionDeps {
  calling: Calling;
  actor: () => Promise<Actor>;
  /** Turns an error into a sentence in the user's language. */
  messageFor: (err: unknown) => string;
}

/**
 * The message extension: a search command over the enterprise directory, and the message
 * action "Call a number in this message" (a task module listing the numbers found).
 */
export async function handleMessageExtension(turn: IncomingTurn, deps: MessageExtensionDeps): Promise<InvokeResult> {
  const locale = turn.locale;
  try {
    switch (turn.name) {
      case 'composeExtension/query':
        return await search(turn, deps);
      case 'composeExtension/fetchTask': {
        const value = parseOwn(fetchTask, turn.value);
        const text = htmlToText(value.messagePayload?.body?.content ?? '');
        const numbers = findPhoneNumbers(text).filter((t) => t.kind !== 'emergency').slice(0, 6);
        if (numbers.length === 0) return task(translate(locale, 'teams.ext.noNumbers'));
        const buttons = numbers.map((t) => ({ display: t.display, target: xsiAddressOf(t) }));
        return {
          status: 200,
          body: { task: { type: 'continue', value: { title: translate(locale, 'teams.ext.title'), width: 'small', height: 'small', card: { contentType: ADAPTIVE, content: numbersCard(locale, buttons) } } } },
        };
      }
      case 'composeExtension/submitAction': {
        const value = parseOwn(submitAction, turn.value);
        const placing = deps.actor().then((actor) => deps.calling.placeCall(actor, value.data.target));
        // Answered before Teams gives up and sends the invoke (and so the call) again.
        const placed = await withinDeadline(placing, INVOKE_DEADLINE_MS, (err) => deps.messageFor(err));
        if (placed === LATE) return task(translate(locale, 'calling.xsi.timeout'));
        return task(translate(locale, 'teams.card.alerting', { target: placed.target.display }));
      }
      default:
        return { status: 501 };
    }
  } catch (err) {
    if (err instanceof z.ZodError) return { status: 400 };
    const message = deps.messageFor(err);
    return turn.name === 'composeExtension/query'
      ? { status: 200, body: { composeExtension: { type: 'message', text: message } } }
      : task(message);
  }
}

async function search(turn: IncomingTurn, deps: MessageExtensionDeps): Promise<InvokeResult> {
  const value = parseOwn(query, turn.value);
  const param = value.parameters?.find((p) => p.name !== 'initialRun');
  const text = typeof param?.value === 'string' ? param.value.trim() : '';
  if (text.length < 2) return { status: 200, body: { composeExtension: { type: 'message', text: translate(turn.locale, 'teams.ext.searchHint') } } };
  // Everything is on the first page: a further page is empty, not the first page again.
  if ((value.queryOptions?.skip ?? 0) >= SEARCH_HITS) return { status: 200, body: { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } } };
  const hits = await deps.calling.searchDirectory(await deps.actor(), text, SEARCH_HITS);
  const attachments = hits.slice(value.queryOptions?.skip ?? 0).flatMap((entry) => {
    const target = dialableOf(entry);
    if (!target) return [];
    return [{
      contentType: ADAPTIVE,
      content: directoryEntryCard(turn.locale, entry, target),
      // A thumbnail card's title and text take Teams' markdown and HTML subset: escaped as a text message's.
      preview: { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: escapeTeamsText(entry.displayName), text: escapeTeamsText([entry.extension, entry.number].filter(Boolean).join(' · ')) } },
    }];
  });
  return { status: 200, body: { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } } };
}

function task(text: string): InvokeResult {
  return { status: 200, body: { task: { type: 'message', value: text } } };
}

/** Teams gives the message as HTML; numbers split by tags or entities must still be found. */
function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n) % 65536));
}
