/**
 * Webex renders message markdown (https://developer.webex.com/docs/basics#formatting-messages)
 * and Adaptive Card TextBlocks render a markdown subset, so text that people typed in Jira or
 * Trello must not be able to add links, mentions (`<@personEmail:…>`), HTML or headings.
 */
const inline = /[\\`*_[\]()~<>#|!]/g;

export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(inline, (c) => `\\${c}`)
    // A line that starts like a list or numbered item would change the layout, and so would one
    // starting with = or - at all: under a line of text it makes that line a setext heading, and
    // alone it is a thematic break (CommonMark 0.31, 4.3 and 4.1; * and _ are escaped above).
    .replace(/^(\s*)([-+=]|\d+\.(?=\s))/gm, (_m, space: string, marker: string) => `${space}\\${marker}`);
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
