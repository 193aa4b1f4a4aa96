import type { RichBlock, RichInline } from '../rich-text';
import { own } from '../../untrusted';

/**
 * Jira comment bodies into RichBlocks. Two formats arrive:
 * - Jira wiki markup, the string `comment.body` of the REST v2 shape that webhooks send
 *   (Atlassian, "Text Formatting Notation Help", https://jira.atlassian.com/secure/WikiRendererHelpAction.jspa?section=all):
 *   `h1.`–`h6.`, `bq.`, `{quote}`, `{code[:lang]}`, `{noformat}`, `{panel}`, `----`, lists with
 *   `*`, `-`, `#` (nested `**`, `#*`), tables `||h||` / `|c|`, `*strong*`, `_emphasis_`,
 *   `-deleted-`, `+inserted+`, `^sup^`, `~sub~`, `??citation??`, `{{monospace}}`, `[text|url]`,
 *   `[url]`, `[~accountid:…]` / `[~username]` mentions, `!image.png!`, `{color:…}`, `\\` breaks
 *   and `\` escapes.
 * - Atlassian Document Format, an object `{ type: 'doc', version: 1, content }`, which newer
 *   payloads carry in `comment.body` (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/,
 *   JSON schema @atlaskit/adf-schema dist/json-schema/v1/full.json; jira.js `CommentWebhookPayload`
 *   types `comment.body` as that document).
 * Both parsers never throw on odd input: what they do not know becomes its text.
 */

const MAX_DEPTH = 24;

// ---------- wiki markup ----------

/** Jira wiki markup as blocks. */
export function wikiToRich(source: string, depth = 0): RichBlock[] {
  const text = source.replace(/\r\n?/g, '\n');
  const blocks: RichBlock[] = [];
  // {code}, {noformat}, {quote} and {panel} span lines; everything between them is line markup.
  const spans = /\{(code|noformat)(?::[^}\n]*)?\}([\s\S]*?)\{\1\}|\{(quote|panel)(?::[^}\n]*)?\}([\s\S]*?)\{\3\}/g;
  let at = 0;
  for (const m of text.matchAll(spans)) {
    blocks.push(...linesToRich(text.slice(at, m.index), depth));
    if (m[1]) {
      // `{code:java}` names a language; `{code:title=A.java|borderStyle=solid}` only options.
      const lang = m[1] === 'code' ? /^\{code:([^|}=]+)[|}]/.exec(m[0])?.[1]?.trim() : undefined;
      blocks.push({ t: 'code', text: m[2]!.replace(/^\n/, '').replace(/\n$/, ''), ...(lang ? { lang } : {}) });
    } else {
      const inner = depth < MAX_DEPTH ? wikiToRich(m[4]!, depth + 1) : [{ t: 'p' as const, c: [{ t: 'text' as const, text: m[4]! }] }];
      blocks.push({ t: 'quote', c: inner });
    }
    at = m.index + m[0].length;
  }
  blocks.push(...linesToRich(text.slice(at), depth));
  return blocks;
}

function linesToRich(text: string, depth: number): RichBlock[] {
  const blocks: RichBlock[] = [];
  let paragraph: string[] = [];
  // Open lists by nesting level: the markers (`*`, `#`, `-`) of the current item path.
  let listStack: { ordered: boolean; block: Extract<RichBlock, { t: 'list' }> }[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ t: 'p', c: wikiInline(paragraph.join('\n'), depth) });
    paragraph = [];
  };
  const closeLists = () => {
    listStack = [];
  };

  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const list = /^\s*([*#-]+)\s+(.*)$/.exec(line);
    // `-` only makes a list one level deep; `----` is a rule, `*bold*` has no space after the star.
    if (list && (!list[1]!.includes('-') || list[1] === '-')) {
      flush();
      const markers = list[1]!;
      const level = markers.length;
      // Keep the open lists whose kind matches this item's markers level by level (`*` then `#` starts a new list).
      let keep = 0;
      while (keep < Math.min(level, listStack.length) && listStack[keep]!.ordered === (markers[keep] === '#')) keep++;
      listStack.length = Math.min(listStack.length, keep);
      while (listStack.length < level) {
        const ordered = markers[listStack.length] === '#';
        const block: Extract<RichBlock, { t: 'list' }> = { t: 'list', ordered, items: [] };
        const parent = listStack.at(-1);
        if (parent) {
          if (parent.block.items.length === 0) parent.block.items.push([]);
          parent.block.items.at(-1)!.push(block);
        } else blocks.push(block);
        listStack.push({ ordered, block });
      }
      listStack.at(-1)!.block.items.push([{ t: 'p', c: wikiInline(list[2]!, depth) }]);
      continue;
    }
    closeLists();
    const heading = /^\s*h[1-6]\.\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ t: 'h', c: wikiInline(heading[1]!, depth) });
      continue;
    }
    const quote = /^\s*bq\.\s+(.*)$/.exec(line);
    if (quote) {
      flush();
      blocks.push({ t: 'quote', c: [{ t: 'p', c: wikiInline(quote[1]!, depth) }] });
      continue;
    }
    if (/^\s*-{4,}\s*$/.test(line)) {
      flush();
      blocks.push({ t: 'rule' });
      continue;
    }
    const row = /^\s*(\|\|?)(.*?)\|*\s*$/.exec(line);
    if (row) {
      // A table row as one line of cells; header cells (`||`) in bold.
      flush();
      const header = row[1] === '||';
      const cells = row[2]!.split(/\|\|?/).map((c) => c.trim());
      const c: RichInline[] = [];
      cells.forEach((cell, i) => {
        if (i > 0) c.push({ t: 'text', text: ' | ' });
        const inline = wikiInline(cell, depth);
        c.push(...(header ? [{ t: 'strong' as const, c: inline }] : inline));
      });
      blocks.push({ t: 'p', c });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return blocks;
}

type Mark = 'strong' | 'em' | 'strike' | 'plain';
/** `inWord`: superscript and subscript sit against a word (m^2^, H~2~O); the others need a non-word character around them. */
const marks: { open: string; close: string; kind: Mark; inWord?: boolean }[] = [
  { open: '*', close: '*', kind: 'strong' },
  { open: '_', close: '_', kind: 'em' },
  { open: '??', close: '??', kind: 'em' },
  { open: '-', close: '-', kind: 'strike' },
  { open: '+', close: '+', kind: 'plain' },
  { open: '^', close: '^', kind: 'plain', inWord: true },
  { open: '~', close: '~', kind: 'plain', inWord: true },
];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * One pattern for every inline construct, tried at each position; the first (leftmost) wins. A
 * mark opens after a non-word character and closes before one, as Jira requires
 * (`snake_case_name` stays as it is).
 */
const inlinePattern = new RegExp(
  [
    '(?<brk>\\\\\\\\)',
    '\\\\(?<esc>[^\\s\\w])',
    '\\{\\{(?<mono>[\\s\\S]+?)\\}\\}',
    '\\[~(?<mention>[^\\]\\n]{1,200})\\]',
    '\\[(?<link>[^\\]\\n]{1,2000})\\]',
    '!(?<image>[^!\\s][^!\\n]{0,300}?)!',
    '(?<color>\\{color(?::[^}\\n]*)?\\})',
    ...marks.map((m, i) => {
      const [before, after] = m.inWord ? ['', ''] : ['(?<![\\w])', '(?![\\w])'];
      return `${before}${escapeRe(m.open)}(?<m${i}>[^\\s${escapeRe(m.close[0]!)}](?:[^\\n]*?[^\\s])?)${escapeRe(m.close)}${after}`;
    }),
  ].join('|'),
  'g',
);

/** Jira wiki inline markup as RichInlines. */
export function wikiInline(text: string, depth = 0): RichInline[] {
  const out: RichInline[] = [];
  const pushText = (t: string) => {
    if (!t) return;
    const last = out.at(-1);
    if (last?.t === 'text') last.text += t;
    else out.push({ t: 'text', text: t });
  };
  let at = 0;
  for (const m of text.matchAll(inlinePattern)) {
    pushText(text.slice(at, m.index).replace(/\n/g, '\u0000'));
    at = m.index + m[0].length;
    const g = m.groups!;
    if (g.brk !== undefined) out.push({ t: 'break' });
    else if (g.esc !== undefined) pushText(g.esc);
    else if (g.mono !== undefined) out.push({ t: 'code', text: g.mono });
    else if (g.mention !== undefined) out.push({ t: 'mention', name: g.mention.startsWith('accountid:') ? null : g.mention });
    else if (g.link !== undefined) out.push(...wikiLink(g.link, depth));
    else if (g.image !== undefined) pushText(g.image.split('|')[0]!);
    else if (g.color !== undefined) continue;
    else {
      const i = marks.findIndex((_, n) => g[`m${n}`] !== undefined);
      const inner = g[`m${i}`]!;
      const content = depth < MAX_DEPTH ? wikiInline(inner, depth + 1) : [{ t: 'text' as const, text: inner }];
      const kind = marks[i]!.kind;
      if (kind !== 'plain') out.push({ t: kind, c: content });
      else
        for (const c of content) {
          if (c.t === 'text') pushText(c.text);
          else out.push(c);
        }
    }
  }
  pushText(text.slice(at).replace(/\n/g, '\u0000'));
  // Line breaks inside a paragraph stay line breaks.
  return out.flatMap((i): RichInline[] => {
    if (i.t !== 'text' || !i.text.includes('\u0000')) return [i];
    return i.text.split('\u0000').flatMap((part, n): RichInline[] => [...(n === 0 ? [] : [{ t: 'break' as const }]), ...(part ? [{ t: 'text' as const, text: part }] : [])]);
  });
}

/** `[text|url]`, `[text|url|tip]`, `[url]`, `[^attachment]`, `[#anchor]`, `[mailto:…]`. */
function wikiLink(inner: string, depth: number): RichInline[] {
  const parts = inner.split('|');
  const target = (parts.length > 1 ? parts[1]! : parts[0]!).trim();
  const label = parts.length > 1 ? parts[0]! : '';
  const labelInline = label ? wikiInline(label, depth + 1) : [];
  if (/^(https?:\/\/|mailto:)/i.test(target)) return [{ t: 'link', url: target, c: labelInline }];
  // An attachment, an anchor or a page name: only its text is useful in a chat message.
  const text = label || target.replace(/^[\^#]/, '');
  return labelInline.length > 0 ? labelInline : [{ t: 'text', text }];
}

// ---------- Atlassian Document Format ----------

/** True when `body` looks like an ADF document (`type: 'doc'` with a content array). */
export function isAdfDoc(body: unknown): boolean {
  return own(body, 'type') === 'doc' && Array.isArray(own(body, 'content'));
}

/** An ADF document as blocks. */
export function adfToRich(doc: unknown): RichBlock[] {
  return adfBlocks(own(doc, 'content'), 0);
}

function children(node: unknown): unknown[] {
  const content = own(node, 'content');
  return Array.isArray(content) ? content : [];
}

function attr(node: unknown, name: string): unknown {
  return own(own(node, 'attrs'), name);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function adfBlocks(nodes: unknown, depth: number): RichBlock[] {
  if (!Array.isArray(nodes) || depth > MAX_DEPTH) return [];
  const out: RichBlock[] = [];
  let loose: RichInline[] = [];
  const flush = () => {
    if (loose.length > 0) out.push({ t: 'p', c: loose });
    loose = [];
  };
  for (const node of nodes) {
    const block = adfBlock(node, depth);
    if (block === 'inline') {
      loose.push(...adfInlines([node], depth));
      continue;
    }
    flush();
    out.push(...block);
  }
  flush();
  return out;
}

function adfBlock(node: unknown, depth: number): RichBlock[] | 'inline' {
  const type = str(own(node, 'type'));
  const next = depth + 1;
  switch (type) {
    case 'paragraph':
      return [{ t: 'p', c: adfInlines(children(node), next) }];
    case 'heading':
      return [{ t: 'h', c: adfInlines(children(node), next) }];
    case 'blockquote':
    case 'panel':
      return [{ t: 'quote', c: adfBlocks(children(node), next) }];
    case 'codeBlock': {
      const lang = str(attr(node, 'language'));
      return [{ t: 'code', text: children(node).map((c) => str(own(c, 'text')) ?? '').join(''), ...(lang ? { lang } : {}) }];
    }
    case 'bulletList':
    case 'orderedList':
      return [{ t: 'list', ordered: type === 'orderedList', items: children(node).map((item) => adfBlocks(children(item), next)) }];
    case 'taskList':
    case 'decisionList':
      return [
        {
          t: 'list',
          ordered: false,
          items: children(node).map((item): RichBlock[] => {
            const done = attr(item, 'state') === 'DONE' || attr(item, 'state') === 'DECIDED';
            return [{ t: 'p', c: [{ t: 'text', text: done ? '☑ ' : '☐ ' }, ...adfInlines(children(item), next)] }];
          }),
        },
      ];
    case 'rule':
      return [{ t: 'rule' }];
    case 'expand':
    case 'nestedExpand': {
      const title = str(attr(node, 'title'));
      return [...(title ? [{ t: 'h' as const, c: [{ t: 'text' as const, text: title }] }] : []), ...adfBlocks(children(node), next)];
    }
    case 'table':
      return children(node).map((row): RichBlock => {
        const c: RichInline[] = [];
        children(row).forEach((cell, i) => {
          if (i > 0) c.push({ t: 'text', text: ' | ' });
          const text = adfBlocks(children(cell), next).flatMap((b) => (b.t === 'p' || b.t === 'h' ? b.c : []));
          c.push(...(own(cell, 'type') === 'tableHeader' ? [{ t: 'strong' as const, c: text }] : text));
        });
        return { t: 'p', c };
      });
    case 'mediaSingle':
    case 'mediaGroup':
      return [{ t: 'p', c: children(node).flatMap((m) => adfInlines([m], next)) }];
    case 'text':
    case 'hardBreak':
    case 'mention':
    case 'emoji':
    case 'inlineCard':
    case 'date':
    case 'status':
    case 'media':
    case 'mediaInline':
      return 'inline';
    default:
      // Unknown blocks (layouts, extensions): their content, or nothing.
      return adfBlocks(children(node), next);
  }
}

function adfInlines(nodes: unknown[], depth: number): RichInline[] {
  if (depth > MAX_DEPTH) return [];
  const out: RichInline[] = [];
  for (const node of nodes) {
    const type = str(own(node, 'type'));
    switch (type) {
      case 'text': {
        const text = str(own(node, 'text')) ?? '';
        if (text) out.push(withMarks(text, own(node, 'marks')));
        break;
      }
      case 'hardBreak':
        out.push({ t: 'break' });
        break;
      case 'mention':
        out.push({ t: 'mention', name: str(attr(node, 'text'))?.replace(/^@/, '') || null });
        break;
      case 'emoji':
        out.push({ t: 'text', text: str(attr(node, 'text')) ?? str(attr(node, 'shortName')) ?? '' });
        break;
      case 'inlineCard': {
        const url = str(attr(node, 'url'));
        if (url) out.push({ t: 'link', url, c: [] });
        break;
      }
      case 'date': {
        const ms = Number(attr(node, 'timestamp'));
        if (Number.isFinite(ms) && Math.abs(ms) < 8.64e15) out.push({ t: 'text', text: new Date(ms).toISOString().slice(0, 10) });
        break;
      }
      case 'status':
        out.push({ t: 'strong', c: [{ t: 'text', text: str(attr(node, 'text')) ?? '' }] });
        break;
      case 'media':
      case 'mediaInline': {
        const name = str(attr(node, 'alt')) ?? str(attr(node, 'name'));
        if (name) out.push({ t: 'text', text: name });
        break;
      }
      default:
        out.push(...adfInlines(children(node), depth + 1));
    }
  }
  return out;
}

/** A text node with its marks (strong, em, strike, code, link); the rest (underline, colour, subsup) only look. */
function withMarks(text: string, list: unknown): RichInline {
  let inline: RichInline = { t: 'text', text };
  const types = Array.isArray(list) ? list : [];
  if (types.some((m) => own(m, 'type') === 'code')) inline = { t: 'code', text };
  for (const mark of types) {
    const type = own(mark, 'type');
    if (type === 'strong' || type === 'em' || type === 'strike') inline = { t: type, c: [inline] };
    else if (type === 'link') {
      const href = str(attr(mark, 'href'));
      if (href) inline = { t: 'link', url: href, c: [inline] };
    }
  }
  return inline;
}
