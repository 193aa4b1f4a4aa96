import { commentAdf } from '../../core';
import { adfProblem } from '../../sandbox/jira-api/jira-emulator';

describe('a Webex reply as a Jira comment in ADF', () => {
  it('keeps paragraphs and line breaks, the name in bold, and reads nothing as markup', () => {
    expect(commentAdf('Anna de Vries via Webex:', '  *Eerste* regel\ntweede regel\n\n\nNieuwe alinea  ')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Anna de Vries via Webex:', marks: [{ type: 'strong' }] },
            { type: 'text', text: ' ' },
            { type: 'text', text: '*Eerste* regel' },
            { type: 'hardBreak' },
            { type: 'text', text: 'tweede regel' },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Nieuwe alinea' }] },
      ],
    });
  });

  it('is always a document Jira accepts (no empty text nodes), whatever the reply', () => {
    for (const text of ['', '\n', '\n\n\n', 'a\n\nb', 'x\r\ny', ' \n \n', 'a'.repeat(40_000), 'één\n\n\n\ntwee\n']) {
      expect(adfProblem(commentAdf('Jan via Webex:', text))).toBeUndefined();
    }
  });
});
