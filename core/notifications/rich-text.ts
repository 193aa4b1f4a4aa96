import { escapeInline, escapeLineStarts, escapeMarkdown, linkUrl } from './markdown';

/**
 * Formatted text from a source (a Jira comment in wiki markup or ADF), in a small neutral shape
 * that is stored with the event (plain JSON) and rendered per surface: Webex markdown, escaped,
 * or plain text. Only what reads well in a chat message is kept; colours, panels' looks,
 * superscript and the like become their text.
 */
export type RichInline =
  | { t: 'text'; text: string }
  | { t: 'strong' | 'em' | 'strike'; c: RichInline[] }
  | { t: 'code'; text: string }
  | { t: 'link'; url: string; c: RichInline[] }
  /** `name` null: the source gave only an account id. */
  | { t: 'mention'; name: string | null }
  | { t: 'break' };

export type RichBlock =
  | { t: 'p'; c: RichInline[] }
  | { t: 'h'; c: RichInline[] }
  | { t: 'quote'; c: RichBlock[] }
  | { t: 'code'; text: string; lang?: string }
  | { t: 'list'; ordered: boolean; items: RichBlock[][] }
  | { t: 'rule' };

export interface RichOptions {
  /** How a mention without a name is shown after the `@` (the space's word for "someone"). */
  someone: string;
}

/** Webex markdown for the blocks, every piece of source text escaped (see escapeMarkdown). */
export function richToMarkdown(blocks: RichBlock[], options: RichOptions): string {
  return blocksToLines(blocks, options).join('\n');
}

/** The same content as plain text, for the message's `text` fallback and for cards. */
export function richToText(blocks: RichBlock[], options: RichOptions): string {
  return blocksToText(blocks, options).join('\n');
}

/** True when the blocks hold no visible text at all. */
export function richIsEmpty(blocks: RichBlock[]): boolean {
  return richToText(blocks, { someone: 'x' }).trim() === '';
}

function blocksToLines(blocks: RichBlock[], o: RichOptions, tight = false): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    const lines = blockToLines(block, o);
    if (lines.length === 0) continue;
    // A blank line between blocks, as markdown needs to keep them apart; in a list item a
    // nested list follows its text directly, so the list stays tight.
    if (out.length > 0 && !(tight && block.t === 'list')) out.push('');
    out.push(...lines);
  }
  return out;
}

function blockToLines(block: RichBlock, o: RichOptions): string[] {
  switch (block.t) {
    case 'p': {
      // Text is escaped inline as it is placed; what then starts a line is checked once, here
      // (the markup we add never starts with -, +, = or a digit).
      const text = escapeLineStarts(inlinesToMarkdown(block.c, o).trim());
      return text ? text.split('\n') : [];
    }
    case 'h': {
      // A heading inside a quoted comment would shout; bold reads as one.
      const text = emphasise('**', inlinesToMarkdown(block.c, o).replace(/\n/g, ' ').trim());
      return text ? [text] : [];
    }
    case 'quote':
      return blocksToLines(block.c, o).map((l) => (l ? `> ${l}` : '>'));
    case 'code': {
      // Code is shown as written: inside a fence nothing is markup. The fence is longer than any
      // backtick run in the code, so the code cannot close it (CommonMark 0.31, fenced code blocks).
      const longest = Math.max(2, ...[...block.text.matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(longest + 1);
      const lang = (block.lang ?? '').replace(/[^\w+#.-]/g, '').slice(0, 20);
      return [`${fence}${lang}`, ...inertCode(block.text).replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n'), fence];
    }
    case 'list': {
      const out: string[] = [];
      block.items.forEach((item, i) => {
        const marker = block.ordered ? `${i + 1}. ` : '- ';
        const lines = blocksToLines(item, o, true);
        const [first = '', ...rest] = lines.length > 0 ? lines : [''];
        out.push(`${marker}${first}`, ...rest.map((l) => (l ? `${' '.repeat(marker.length)}${l}` : '')));
      });
      return out;
    }
    case 'rule':
      return ['---'];
  }
}

function inlinesToMarkdown(inlines: RichInline[], o: RichOptions): string {
  return inlines.map((i) => inlineToMarkdown(i, o)).join('');
}

function inlineToMarkdown(inline: RichInline, o: RichOptions): string {
  switch (inline.t) {
    case 'text':
      return escapeInline(inline.text);
    case 'strong':
      return emphasise('**', inlinesToMarkdown(inline.c, o));
    case 'em':
      // `*` rather than `_`: an underscore does not emphasise inside a word (CommonMark, emphasis rules).
      return emphasise('*', inlinesToMarkdown(inline.c, o));
    case 'strike':
      return emphasise('~~', inlinesToMarkdown(inline.c, o));
    case 'code': {
      const text = inertCode(inline.text).replace(/\s+/g, ' ');
      if (!text.trim()) return escapeMarkdown(text);
      // A code span cannot hold a backtick run as long as its delimiters (CommonMark, code spans).
      const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
      const ticks = '`'.repeat(longest + 1);
      const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
      return `${ticks}${pad}${text}${pad}${ticks}`;
    }
    case 'link': {
      const label = inlinesToMarkdown(inline.c, o).replace(/\n/g, ' ').trim();
      const url = linkUrl(inline.url);
      if (!url) return label || escapeMarkdown(inline.url);
      return `[${label || escapeMarkdown(inline.url)}](${url})`;
    }
    case 'mention':
      // Bold, never Webex's <@personEmail:…> syntax: a Jira account is not a Webex person.
      return `**@${escapeMarkdown((inline.name ?? o.someone).replace(/^@/, '').replace(/\s+/g, ' '))}**`;
    case 'break':
      return '\n';
  }
}

/**
 * Backslash escapes do not work inside code, and Webex documents mentions as `<@personEmail:…>` /
 * `<@personId:…>` / `<@all>` in the message markdown without saying whether code is exempt; a
 * zero-width space after `<` keeps them from ever being read as a mention, and shows nothing.
 */
function inertCode(text: string): string {
  return text.replace(/<(?=@)/g, '<\u200B');
}

/** `**x**` around the text, with surrounding spaces moved outside (a delimiter next to a space does not open or close). */
function emphasise(mark: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  if (!match[2]) return inner;
  return `${match[1]}${mark}${match[2]}${mark}${match[3]}`;
}

function blocksToText(blocks: RichBlock[], o: RichOptions): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    let lines: string[];
    switch (block.t) {
      case 'p':
      case 'h':
        lines = inlinesToText(block.c, o).trim().split('\n').filter((l, i, all) => l || all.length > 1);
        break;
      case 'quote':
        lines = blocksToText(block.c, o).map((l) => `> ${l}`);
        break;
      case 'code':
        lines = block.text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
        break;
      case 'list':
        lines = block.items.flatMap((item, i) => {
          const marker = block.ordered ? `${i + 1}. ` : '- ';
          const [first = '', ...rest] = blocksToText(item, o);
          return [`${marker}${first}`, ...rest.map((l) => `${' '.repeat(marker.length)}${l}`)];
        });
        break;
      case 'rule':
        lines = ['----'];
        break;
    }
    if (lines.join('').trim()) out.push(...lines);
  }
  return out;
}

function inlinesToText(inlines: RichInline[], o: RichOptions): string {
  return inlines
    .map((i): string => {
      switch (i.t) {
        case 'text':
        case 'code':
          return i.text;
        case 'strong':
        case 'em':
        case 'strike':
          return inlinesToText(i.c, o);
        case 'link': {
          const label = inlinesToText(i.c, o).trim();
          return label && label !== i.url ? `${label} (${i.url})` : i.url;
        }
        case 'mention':
          return `@${(i.name ?? o.someone).replace(/^@/, '')}`;
        case 'break':
          return '\n';
      }
    })
    .join('');
}

/**
 * The blocks cut after about `max` characters of text, with an ellipsis where it was cut, so a
 * long comment keeps the message under Webex's 7439 bytes without cutting markup in half.
 */
export function clipRich(blocks: RichBlock[], max: number): RichBlock[] {
  let budget = max;
  let cut = false;
  const clipText = (text: string): string => {
    if (cut) return '';
    if (text.length <= budget) {
      budget -= text.length;
      return text;
    }
    cut = true;
    const kept = text.slice(0, Math.max(0, budget - 1));
    budget = 0;
    return `${kept}…`;
  };
  const inlines = (list: RichInline[]): RichInline[] => {
    const out: RichInline[] = [];
    for (const i of list) {
      if (cut) break;
      switch (i.t) {
        case 'text':
        case 'code':
          out.push({ ...i, text: clipText(i.text) });
          break;
        case 'strong':
        case 'em':
        case 'strike':
          out.push({ t: i.t, c: inlines(i.c) });
          break;
        case 'link':
          // The address is in the message too.
          budget -= Math.min(i.url.length, budget);
          out.push({ t: 'link', url: i.url, c: inlines(i.c) });
          break;
        case 'mention':
          budget -= (i.name ?? '').length + 1;
          out.push(i);
          break;
        case 'break':
          out.push(i);
          break;
      }
    }
    return out;
  };
  const walk = (list: RichBlock[]): RichBlock[] => {
    const out: RichBlock[] = [];
    for (const b of list) {
      if (cut) break;
      switch (b.t) {
        case 'p':
        case 'h':
          out.push({ t: b.t, c: inlines(b.c) });
          break;
        case 'quote':
          out.push({ t: 'quote', c: walk(b.c) });
          break;
        case 'code':
          out.push({ ...b, text: clipText(b.text) });
          break;
        case 'list': {
          const items: RichBlock[][] = [];
          for (const item of b.items) {
            if (cut) break;
            items.push(walk(item));
          }
          out.push({ t: 'list', ordered: b.ordered, items });
          break;
        }
        case 'rule':
          out.push(b);
          break;
      }
    }
    return out;
  };
  return walk(blocks);
}
