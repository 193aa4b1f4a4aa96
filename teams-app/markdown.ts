import { translate, type MessageKey, type MessageParams } from '../core';

/**
 * Text as Teams renders it, one escaper per output format; nothing else in the Teams app
 * escapes, so nothing is escaped twice.
 *
 * - A bot's text message is markdown plus a subset of HTML (learn.microsoft.com, "Format
 *   text in your bot messages": bold, italic, links, lists, headings, `<at>` mentions…).
 * - An Adaptive Card TextBlock and FactSet value are a markdown subset (adaptivecards.io,
 *   "Text features": bold, italic, lists, links) and no HTML.
 * Both honour CommonMark backslash escapes (microsoft/AdaptiveCards shared MarkDownParser;
 * the Teams mobile renderers drop the backslash since microsoft/Teams-AdaptiveCards-Mobile#58).
 */
// Inline constructs: emphasis (* _), strike (~), code (`), links and images ([ ] after which
// "(url)" is inert), and the escape character itself. Block constructs only begin a line: a
// leading list marker, heading or quote is escaped, and line breaks are folded (a quoted
// text is one line).
const MARKDOWN_INLINE = /[\\`*_[\]~]/g;
const BLOCK_START = /^(\s*)([-+#>]|\d+[.)])/;

/** One line of user- or upstream-provided text: no line break that could start a block. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

function escapeMarkdown(text: string): string {
  return oneLine(text).replace(MARKDOWN_INLINE, (c) => `\\${c}`).replace(BLOCK_START, (_m, space: string, marker: string) => `${space}\\${marker}`);
}

/** Plain text inside a Teams text message: markdown and HTML both inert. */
export function escapeTeamsText(text: string): string {
  // Entities first: an entity never starts a block, and the backslashes added after it stay escapes.
  return escapeMarkdown(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** Plain text inside an Adaptive Card TextBlock or FactSet value. */
export function escapeCardText(text: string): string {
  return escapeMarkdown(text);
}

/**
 * Markdown for a Teams text message: only what this type says is, so every text the bot sends
 * goes through teamsText (the catalogue's own markdown kept, each parameter escaped).
 */
export type TeamsMarkdown = string & { readonly __teamsMarkdown: true };

export function teamsText(locale: string | undefined, key: MessageKey, params: MessageParams = {}): TeamsMarkdown {
  const escaped = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? escapeTeamsText(v) : v]));
  return translate(locale, key, escaped) as TeamsMarkdown;
}
