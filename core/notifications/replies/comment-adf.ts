import type { AdfDocument, AdfNode } from '../jira-client';

/** Jira Cloud keeps a comment body up to 32,767 characters (its "jira.text.field.character.limit" default). */
export const JIRA_COMMENT_MAX = 32_000;

/**
 * A reply from Webex as a Jira comment in ADF (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/):
 * the first paragraph opens with "<person> via Webex:" in bold (a `strong` mark), then the text;
 * blank lines start new paragraphs, single line breaks become `hardBreak` nodes. Text nodes are
 * never empty, which Jira refuses. The reply is plain text: nothing in it is taken as markup.
 */
export function commentAdf(attribution: string, text: string): AdfDocument {
  const paragraphs = text.slice(0, JIRA_COMMENT_MAX).replace(/\r\n?/g, '\n').split(/\n{2,}/).map((p) => p.trim()).filter((p) => p !== '');
  const content: AdfNode[] = paragraphs.map((p, i) => {
    const lines = p.split('\n');
    const inline: AdfNode[] = i === 0 ? [{ type: 'text', text: attribution, marks: [{ type: 'strong' }] }, { type: 'text', text: ' ' }] : [];
    lines.forEach((line, n) => {
      if (n > 0) inline.push({ type: 'hardBreak' });
      if (line !== '') inline.push({ type: 'text', text: line });
    });
    return { type: 'paragraph', content: inline };
  });
  if (content.length === 0) content.push({ type: 'paragraph', content: [{ type: 'text', text: attribution, marks: [{ type: 'strong' }] }] });
  return { type: 'doc', version: 1, content };
}

/** The same reply as a Trello comment (plain text with Trello's markdown; at most 16,384 characters). */
export function trelloCommentText(attribution: string, text: string): string {
  return `**${attribution}** ${text}`.slice(0, 16_384);
}
