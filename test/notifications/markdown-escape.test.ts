import { escapeMarkdown } from '../../core';

/**
 * What a person typed must reach a Webex space as the same text, never as layout: Webex renders
 * CommonMark-style markdown (https://developer.webex.com/docs/basics#formatting-messages), so every
 * block starter of CommonMark 0.31 (https://spec.commonmark.org/0.31.2/#blocks-and-inlines) is
 * neutralised with a backslash escape, which CommonMark allows before any ASCII punctuation
 * (https://spec.commonmark.org/0.31.2/#backslash-escapes) and which then renders as the bare character.
 */
const cases: [name: string, input: string, expected: string][] = [
  ['setext heading with =', 'Title\n===', 'Title\n\\==='],
  ['setext heading with -', 'Title\n---', 'Title\n\\---'],
  ['setext underline indented up to 3 spaces', 'Title\n   ==', 'Title\n   \\=='],
  ['thematic break ---', '---', '\\---'],
  ['thematic break with spaces - - -', '- - -', '\\- - -'],
  ['thematic break ***', '***', '\\*\\*\\*'],
  ['thematic break ___', '___', '\\_\\_\\_'],
  ['bullet -', '- a', '\\- a'],
  ['bullet +', '+ a', '\\+ a'],
  ['bullet *', '* a', '\\* a'],
  ['numbered list 1.', '1. b', '1\\. b'],
  ['numbered list 12)', '12) b', '12\\) b'],
  ['numbered list indented', '  3. c', '  3\\. c'],
  ['ATX heading', '# c', '\\# c'],
  ['block quote', '> q', '\\> q'],
  ['fenced code with backticks', '```js\nx\n```', '\\`\\`\\`js\nx\n\\`\\`\\`'],
  ['fenced code with tildes', '~~~\nx\n~~~', '\\~\\~\\~\nx\n\\~\\~\\~'],
  ['HTML block', '<div>x</div>', '\\<div\\>x\\</div\\>'],
  ['Webex mention', '<@personEmail:ceo@kpn.com>', '\\<@personEmail:ceo@kpn.com\\>'],
  ['link', '[x](javascript:alert(1))', '\\[x\\]\\(javascript:alert\\(1\\)\\)'],
  ['entity that would decode to markup', '&lt;b&gt;', '\\&lt;b\\&gt;'],
  ['table row', '| a | b |', '\\| a \\| b \\|'],
  ['CRLF line ends', 'a\r\n---', 'a\n\\---'],
  ['a number mid-line is not a list', 'call 1. then 2) done', 'call 1. then 2\\) done'],
  ['a dash mid-line stays as it is', 'a - b = c', 'a - b = c'],
  ['indented code block (4 spaces)', 'a\n\n    code', 'a\n\n\u00A0\u00A0\u00A0\u00A0code'],
  ['indented code block (tab)', '\tcode', '\u00A0\u00A0\u00A0\u00A0code'],
  ['three spaces stay', '   x', '   x'],
];

describe('escapeMarkdown: no block starter survives', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});
