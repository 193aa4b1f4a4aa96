/**
 * Webex renders message markdown (https://developer.webex.com/docs/basics#formatting-messages)
 * and Adaptive Card TextBlocks render a markdown subset, so text that people typed in Jira or
 * Trello must not be able to add links, mentions (`<@personEmail:…>`), HTML or headings.
 */
const inline = /[\\`*_[\]()~<>#|!&]/g;

/**
 * Escapes text so it renders as itself. Inline: every character that opens markup, plus `&`
 * (an entity such as `&lt;` would otherwise decode). Blocks (CommonMark 0.31,
 * https://spec.commonmark.org/0.31.2/#blocks-and-inlines): `#` headings, `>` quotes, fences
 * (``` and ~~~) and `*`/`_` rules are inline-escaped already; a line starting with `-`, `+` or
 * `=` could be a list item, a thematic break (`---`) or a setext underline (`Title\n===`), and
 * `1.` / `1)` an ordered list, so that character is escaped (`\-`, `1\.`). A backslash before
 * ASCII punctuation is always an escape and renders as the bare character
 * (https://spec.commonmark.org/0.31.2/#backslash-escapes); `\1` would not be, so a digit is left alone.
 */
export function escapeMarkdown(text: string): string {
  return escapeLineStarts(escapeInline(text));
}

/** The inline half of escapeMarkdown, for text that is part of a line (rich-text.ts). */
export function escapeInline(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(inline, (c) => `\\${c}`);
}

/** The block half of escapeMarkdown: what would start a list, rule or setext heading at a line's start. */
export function escapeLineStarts(text: string): string {
  return text
    // Four spaces or a tab make an indented code block after a blank line; no-break spaces keep
    // the indentation people typed without that (CommonMark counts only space and tab).
    .replace(/^(?: {4,}|[ ]*\t[ \t]*)/gm, (indent) => indent.replace(/\t/g, '    ').replace(/ /g, '\u00A0'))
    .replace(/^([ \t]*)([-+=])/gm, (_m, space: string, marker: string) => `${space}\\${marker}`)
    .replace(/^([ \t]*\d{1,9})\./gm, (_m, number: string) => `${number}\\.`);
}

/** One line of user text: newlines become spaces, and it is cut at `max` characters. */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Longer user text (a comment), cut at `max` characters so the message stays under Webex's 7439 bytes. */
export function clip(text: string, max = 1000): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/**
 * A link target that is safe inside markdown `[text](url)` and an Action.OpenUrl: http(s) only,
 * and the characters that would end the link or start new markup percent-encoded. A Graph
 * webUrl carries the file name people typed (`report).docx`, `[x](javascript:…)`), and a
 * webhook's URL fields are taken as sent. Anything else gives null: the key is shown unlinked.
 */
export function linkUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href.replace(/[()[\]<>\\`\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
