import { parseCommand } from '../../teams-app/commands';

describe('parseCommand', () => {
  it.each([
    ['call 06 1234 5678', { kind: 'call', target: '06 1234 5678' }],
    ['Bel Anna de Vries', { kind: 'call', target: 'Anna de Vries' }],
    ['<at>een-bridge</at> call 1001', { kind: 'call', target: '1001' }],
    ['<p>bel&nbsp;020-1234567</p>', { kind: 'call', target: '020-1234567' }],
    ['call', { kind: 'call', target: '' }],
    ['hangup', { kind: 'hangup', callId: undefined }],
    ['Hang up', { kind: 'hangup', callId: undefined }],
    ['ophangen', { kind: 'hangup', callId: undefined }],
    ['recent', { kind: 'recent' }],
    ['help', { kind: 'help' }],
    ['hulp', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['dance <script>', { kind: 'unknown', text: 'dance' }],
  ])('reads %j', (text, command) => expect(parseCommand(text, undefined)).toEqual(command));

  it('reads card button data before the text', () => {
    expect(parseCommand('', { action: 'call', target: '1002' })).toEqual({ kind: 'call', target: '1002' });
    expect(parseCommand(undefined, { action: 'hangup', callId: 'callhalf-1:0' })).toEqual({ kind: 'hangup', callId: 'callhalf-1:0' });
  });

  it.each([
    [{ action: 'call', target: '' }],
    [{ action: 'call', target: 'x'.repeat(65) }],
    [{ action: 'hangup' }],
    [{ action: 'delete-everything' }],
    ['call 0612345678'],
    [null],
  ])('ignores malformed card data %j and falls back to the text', (value) => {
    expect(parseCommand('help', value)).toEqual({ kind: 'help' });
  });

  it('limits how much text it reads', () => {
    const command = parseCommand(`call ${'1'.repeat(10_000)}`, undefined);
    expect(command.kind === 'call' && command.target.length).toBeLessThan(500);
  });
});
