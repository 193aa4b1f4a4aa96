import { XMLParser } from 'fast-xml-parser';
import { matchesDirectoryQuery } from '../../sandbox/broadworks-xsi/directory-query';
import { SANDBOX_DIRECTORY } from '../../sandbox/broadworks-xsi/directory-seed';
import { errorInfo, xsiDocument, el } from '../../sandbox/broadworks-xsi/xml';

describe('the Xsi emulator building blocks', () => {
  const names = (query: Record<string, string>) =>
    SANDBOX_DIRECTORY.filter((p) => matchesDirectoryQuery(p, query)).map((p) => `${p.firstName} ${p.lastName}`);

  it.each([
    [{ lastName: '*jansen*/i' }, ['Annelies Jansen', 'Thijs Jansen']],
    [{ lastName: '*JANSEN*' }, []],
    [{ firstName: 'Anna' }, ['Anna de Vries']],
    [{ firstName: '*ann*/i', lastName: '*ann*/i', searchCriteriaModeOr: 'true' }, ['Anna de Vries', 'Annelies Jansen', 'Sanne Visser']],
    [{ firstName: '*ann*/i', lastName: '*vries*/i' }, ['Anna de Vries']],
    [{ extension: '1012' }, ['Noor van Dijk']],
    [{ emailAddress: 'PIETER.BAKKER@sandbox.kpneen.nl/i' }, ['Pieter Bakker']],
    [{ number: '*0201234503*' }, []],
    [{ number: '*201234503*' }, ['Pieter Bakker']],
    [{ lastName: '(a+)+$' }, []],
    [{ lastName: '.*' }, []],
  ])('searches %j', (query, expected) => expect(names(query)).toEqual(expected));

  it('escapes what it puts in XML', () => {
    const xml = xsiDocument('Call', el('name', 'Tom & Jerry <b> "x" \u0001'));
    expect(xml).toContain('<name>Tom &amp; Jerry &lt;b&gt; &quot;x&quot; </name>');
    // Declared ISO-8859-1 like BroadWorks: Latin-1 letters stay, anything beyond is a character reference.
    expect(xml.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>')).toBe(true);
    expect(xsiDocument('Call', el('name', 'Zoë 📞 Łukasz'))).toContain('<name>Zoë &#x1f4de; &#x141;ukasz</name>');
    const parsed = new XMLParser({ removeNSPrefix: true }).parse(errorInfo(4008, 'User <not> found')) as { ErrorInfo: { summary: string; errorCode: number } };
    expect(parsed.ErrorInfo).toMatchObject({ summary: 'User <not> found', errorCode: 4008 });
  });

  it('seeds a dozen people with Dutch numbers and unique extensions', () => {
    expect(SANDBOX_DIRECTORY).toHaveLength(12);
    expect(new Set(SANDBOX_DIRECTORY.map((p) => p.extension)).size).toBe(12);
    for (const p of SANDBOX_DIRECTORY) expect(p.number).toMatch(/^\+3120\d{7}$/);
  });
});
