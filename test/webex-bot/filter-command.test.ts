import { parseCommand } from '../../webex-bot';

describe('the bot\'s filter command', () => {
  it('reads an expression, a JQL query or off, for the only subscription or a numbered one', () => {
    expect(parseCommand('filter label=klant and status->Done')).toEqual({ language: 'en', command: { name: 'filter', number: undefined, syntax: 'filter', text: 'label=klant and status->Done' } });
    expect(parseCommand('filter 2 status->"In review"')).toEqual({ language: 'en', command: { name: 'filter', number: 2, syntax: 'filter', text: 'status->"In review"' } });
    expect(parseCommand('filter jql project = KAN AND labels in (klant)')).toEqual({ language: 'en', command: { name: 'filter', number: undefined, syntax: 'jql', text: 'project = KAN AND labels in (klant)' } });
    expect(parseCommand('filter 3 off')).toEqual({ language: 'en', command: { name: 'filter', number: 3, syntax: 'off', text: '' } });
  });

  it('answers in Dutch when the words are Dutch', () => {
    expect(parseCommand('filter toegewezen=ik en niet prioriteit=Low').language).toBe('nl');
    expect(parseCommand('filter uit')).toEqual({ language: 'nl', command: { name: 'filter', number: undefined, syntax: 'off', text: '' } });
    expect(parseCommand('filteren jql project = KAN').language).toBe('nl');
    // A Dutch-looking word inside quotes is a value, not the language.
    expect(parseCommand('filter label="en of niet"').language).toBe('en');
    expect(parseCommand('filter label=klant').language).toBe('en');
  });

  it('asks how when there is nothing to filter on', () => {
    expect(parseCommand('filter').command).toEqual({ name: 'filter', number: undefined, syntax: undefined, text: '' });
    expect(parseCommand('filter 2').command).toMatchObject({ syntax: undefined });
  });
});
