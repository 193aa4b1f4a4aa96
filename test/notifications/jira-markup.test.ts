import { adfToRich, parseJiraWebhook, renderNotification, richToMarkdown, richToText, wikiToRich, type SourceEvent } from '../../core/internal';
import { jiraCommentAdf, jiraCommentCreated, jiraCommentWiki } from '../fixtures/jira-webhooks';

const md = (wiki: string) => richToMarkdown(wikiToRich(wiki), { someone: 'someone' });

/**
 * Jira wiki markup ("Text Formatting Notation Help", https://jira.atlassian.com/secure/WikiRendererHelpAction.jspa?section=all)
 * as Webex markdown (https://developer.webex.com/docs/basics#formatting-messages): formatting kept,
 * everything a person typed escaped, so only the markup Jira meant comes through.
 */
const wikiCases: [name: string, wiki: string, markdown: string][] = [
  ['strong', 'een *vette* zin', 'een **vette** zin'],
  ['emphasis', 'een _schuine_ zin', 'een *schuine* zin'],
  ['citation as emphasis', '??Bron??', '*Bron*'],
  ['deleted', 'niet -weg- hier', 'niet ~~weg~~ hier'],
  ['inserted, sup and sub as their text', '+nieuw+ m^2^ H~2~O', 'nieuw m2 H2O'],
  ['nested marks', '*vet _en schuin_*', '**vet *en schuin***'],
  ['underscores inside words stay', 'snake_case_name en 2026-12-01', 'snake\\_case\\_name en 2026-12-01'],
  ['a lone star stays', '5 * 3 = 15', '5 \\* 3 = 15'],
  ['monospace', 'draai {{npm test}} nu', 'draai `npm test` nu'],
  ['monospace with a backtick', '{{a`b}}', '``a`b``'],
  ['link with text', 'zie [het log|https://example.com/log?a=1]', 'zie [het log](https://example.com/log?a=1)'],
  ['bare link', '[https://example.com/x]', '[https://example.com/x](https://example.com/x)'],
  ['link whose address ends the markdown link', '[x|https://example.com/a)b]', '[x](https://example.com/a%29b)'],
  ['javascript: link becomes its text', '[klik|javascript:alert(1)]', 'klik'],
  ['attachment link as its name', '[^rapport.pdf]', 'rapport.pdf'],
  ['account mention', 'vraag [~accountid:712020:b9e8f7a6] even', 'vraag **@someone** even'],
  ['Server user mention', 'vraag [~pieter] even', 'vraag **@pieter** even'],
  ['Webex mention syntax stays text', '<@personEmail:ceo@kpn.com>', '\\<@personEmail:ceo@kpn.com\\>'],
  ['image as its file name', '!scherm.png|thumbnail! hier', 'scherm.png hier'],
  ['colour dropped', '{color:red}rood{color}', 'rood'],
  ['forced line break', 'een\\\\twee', 'een\ntwee'],
  ['escaped star', '\\*geen vet\\*', '\\*geen vet\\*'],
  ['heading as bold', 'h2. Stappen', '**Stappen**'],
  ['bq. quote', 'bq. zo is het', '> zo is het'],
  ['quote block', '{quote}eerste\ntweede *vet*{quote}', '> eerste\n> tweede **vet**'],
  ['panel as quote', '{panel:title=Let op}tekst{panel}', '> tekst'],
  ['code block with language', '{code:java}\nint x = 1 * 2;\n{code}', '```java\nint x = 1 * 2;\n```'],
  ['code block with options', '{code:title=A.java|borderStyle=solid}\nx\n{code}', '```\nx\n```'],
  ['code holding a fence', '{code}\n```\nrm -rf\n```\n{code}', '````\n```\nrm -rf\n```\n````'],
  ['noformat keeps markup literal', '{noformat}*niet vet* <b>{noformat}', '```\n*niet vet* <b>\n```'],
  ['bullet list', '* een\n* twee', '- een\n- twee'],
  ['dash list', '- een\n- twee', '- een\n- twee'],
  ['nested list', '* een\n** twee\n* drie', '- een\n  - twee\n- drie'],
  ['numbered list', '# een\n# twee', '1. een\n2. twee'],
  ['bullets then numbers are two lists', '* a\n# b', '- a\n\n1. b'],
  ['rule', 'boven\n----\nonder', 'boven\n\n---\n\nonder'],
  ['table', '||Naam||Nummer||\n|Pieter|0612|', '**Naam** \\| **Nummer**\n\nPieter \\| 0612'],
  ['setext underline in text stays text', 'Titel\n===', 'Titel\n\\==='],
  ['a line that looks like a markdown list', '1. niet genummerd', '1\\. niet genummerd'],
  ['paragraphs', 'een\n\ntwee', 'een\n\ntwee'],
];

/** Atlassian Document Format (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/). */
const text = (t: string, marks?: unknown[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const adfCases: [name: string, adf: unknown, markdown: string][] = [
  ['marks', doc(para(text('vet', [{ type: 'strong' }]), text(' en '), text('schuin', [{ type: 'em' }]), text(' '), text('weg', [{ type: 'strike' }]))), '**vet** en *schuin* ~~weg~~'],
  ['code mark', doc(para(text('npm test', [{ type: 'code' }]))), '`npm test`'],
  ['link mark', doc(para(text('het log', [{ type: 'link', attrs: { href: 'https://example.com/log' } }]))), '[het log](https://example.com/log)'],
  ['javascript: link mark', doc(para(text('klik', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]))), 'klik'],
  ['mention with its name', doc(para(text('vraag '), { type: 'mention', attrs: { id: '712020:b9e8', text: '@Pieter Visser' } })), 'vraag **@Pieter Visser**'],
  ['mention without a name', doc(para({ type: 'mention', attrs: { id: '712020:b9e8' } })), '**@someone**'],
  ['hard break', doc(para(text('een'), { type: 'hardBreak' }, text('twee'))), 'een\ntwee'],
  ['heading', doc({ type: 'heading', attrs: { level: 2 }, content: [text('Stappen')] }), '**Stappen**'],
  ['blockquote', doc({ type: 'blockquote', content: [para(text('zo is het'))] }), '> zo is het'],
  ['code block', doc({ type: 'codeBlock', attrs: { language: 'ts' }, content: [text('const x = a * b;')] }), '```ts\nconst x = a * b;\n```'],
  ['bullet list', doc({ type: 'bulletList', content: [{ type: 'listItem', content: [para(text('een'))] }, { type: 'listItem', content: [para(text('twee'))] }] }), '- een\n- twee'],
  ['ordered list', doc({ type: 'orderedList', content: [{ type: 'listItem', content: [para(text('een'))] }] }), '1. een'],
  ['rule', doc(para(text('a')), { type: 'rule' }, para(text('b'))), 'a\n\n---\n\nb'],
  ['emoji', doc(para(text('top '), { type: 'emoji', attrs: { shortName: ':thumbsup:', text: '👍' } })), 'top 👍'],
  ['inline card', doc(para({ type: 'inlineCard', attrs: { url: 'https://example.com/x' } })), '[https://example.com/x](https://example.com/x)'],
  ['status', doc(para({ type: 'status', attrs: { text: 'KLAAR', color: 'green' } })), '**KLAAR**'],
  ['panel', doc({ type: 'panel', attrs: { panelType: 'info' }, content: [para(text('let op'))] }), '> let op'],
  ['typed markdown is text', doc(para(text('# kop [x](javascript:y) <@personEmail:a@b.c>'))), '\\# kop \\[x\\]\\(javascript:y\\) \\<@personEmail:a@b.c\\>'],
  ['unknown nodes give their content', doc({ type: 'layoutSection', content: [{ type: 'layoutColumn', content: [para(text('binnen'))] }] }), 'binnen'],
  ['odd input gives nothing, never throws', doc({ type: 'paragraph', content: 'x' }, null, 5, { type: 'text' }), ''],
];

describe('Jira wiki markup as Webex markdown', () => {
  it.each(wikiCases)('%s', (_name, wiki, markdown) => {
    expect(md(wiki)).toBe(markdown);
  });
});

describe('Atlassian Document Format as Webex markdown', () => {
  it.each(adfCases)('%s', (_name, adf, markdown) => {
    expect(richToMarkdown(adfToRich(adf), { someone: 'someone' })).toBe(markdown);
  });
});

describe('a Jira comment in a Webex space', () => {
  const eventOf = (body: unknown): SourceEvent => {
    const result = parseJiraWebhook(body, 'd-1');
    if (result.outcome !== 'event') throw new Error(JSON.stringify(result));
    return result.event;
  };

  it('shows wiki markup formatted, not literally', () => {
    const r = renderNotification(eventOf(jiraCommentWiki), 'en');
    expect(r.markdown).toContain('> **@someone** can you look at this?');
    expect(r.markdown).toContain('> **Steps**');
    expect(r.markdown).toContain('> > Klik-en-bel faalt voor **0031** nummers');
    expect(r.markdown).toContain('> ```');
    expect(r.markdown).not.toMatch(/\{quote\}|\{code|\[~accountid|h3\./);
    expect(r.text).toContain('@someone can you look at this?');
    expect(r.text).not.toMatch(/\{quote\}|\*0031\*/);
    expect(renderNotification(eventOf(jiraCommentWiki), 'nl').markdown).toContain('**@iemand**');
  });

  it('reads an ADF comment body, as newer payloads carry it', () => {
    const event = eventOf(jiraCommentAdf);
    expect(event.comment).toContain('Pieter Visser');
    const r = renderNotification(event, 'en');
    expect(r.markdown).toContain('> **@Pieter Visser** the fix is in **1.4.2**: see [the release](https://kpn-een-demo.atlassian.net/projects/KAN/versions/10001)');
    expect(r.markdown).toContain('> - works with 0031');
    expect(r.card.body.at(-1)).toMatchObject({ type: 'TextBlock', text: expect.stringContaining('@Pieter Visser the fix is in 1.4.2') });
  });

  it('refuses a body that is neither text nor an ADF document', () => {
    const bad = { ...jiraCommentCreated, comment: { ...jiraCommentCreated.comment, body: { type: 'paragraph' } } };
    expect(parseJiraWebhook(bad, 'd-2')).toMatchObject({ outcome: 'invalid' });
  });

  it('keeps a long formatted comment under the Webex message limit of 7439 bytes', () => {
    const long = { ...jiraCommentWiki, comment: { ...jiraCommentWiki.comment, body: '*vet* [link|https://example.com/' + 'x'.repeat(3000) + '] '.repeat(1) + '{{`}} '.repeat(3000) } };
    const r = renderNotification(eventOf(long), 'en');
    expect(Buffer.byteLength(r.markdown)).toBeLessThan(7439);
    expect(Buffer.byteLength(r.text)).toBeLessThan(7439);
    expect(richToText(wikiToRich('a'), { someone: 'x' })).toBe('a');
  });
});

describe('code cannot carry a Webex mention', () => {
  it('breaks <@ inside code spans and blocks with an invisible zero-width space', () => {
    expect(md('{{<@all>}}')).toBe('`<\u200B@all>`');
    expect(md('{code}\n<@personEmail:ceo@kpn.com>\n{code}')).toBe('```\n<\u200B@personEmail:ceo@kpn.com>\n```');
  });
});
