import { parseCommand } from '../../webex-bot';

describe('digest commands in a space', () => {
  it('reads the language from the words after `digest`, and `timezone` / `tijdzone`', () => {
    expect(parseCommand('digest daily 09:00')).toEqual({ language: 'en', command: { name: 'digest', words: ['daily', '09:00'] } });
    expect(parseCommand('Digest wekelijks maandag 09:00')).toEqual({ language: 'nl', command: { name: 'digest', words: ['wekelijks', 'maandag', '09:00'] } });
    expect(parseCommand('digest uit')).toEqual({ language: 'nl', command: { name: 'digest', words: ['uit'] } });
    expect(parseCommand('digest')).toEqual({ language: 'en', command: { name: 'digest', words: [] } });
    expect(parseCommand('timezone Europe/London')).toEqual({ language: 'en', command: { name: 'timeZone', zone: 'Europe/London' } });
    expect(parseCommand('tijdzone')).toEqual({ language: 'nl', command: { name: 'timeZone', zone: undefined } });
  });
});
