import { parseWebexCommand } from '../../slack-app/command-text';

describe('parseWebexCommand', () => {
  it.each([
    ['', { kind: 'start', mentions: [], private: false, title: undefined }],
    ['private', { kind: 'start', mentions: [], private: true, title: undefined }],
    ['<@U0BOB|bob> <@W0CEES> Sprint sync', { kind: 'start', mentions: ['U0BOB', 'W0CEES'], private: false, title: 'Sprint sync' }],
    ['<@U0BOB> privé', { kind: 'start', mentions: ['U0BOB'], private: true, title: undefined }],
    ['schedule tomorrow 14:00 30m Sprint review', { kind: 'schedule', text: 'tomorrow 14:00 30m Sprint review', mentions: [] }],
    ['plan morgen 9:30 1u Overleg <@U0BOB>', { kind: 'schedule', text: 'morgen 9:30 1u Overleg', mentions: ['U0BOB'] }],
    ['schedule', { kind: 'schedule', text: '', mentions: [] }],
    ['LIST', { kind: 'list' }],
    ['cancel 2', { kind: 'cancel', number: 2 }],
    ['cancel #3', { kind: 'cancel', number: 3 }],
    ['cancel two', { kind: 'cancel', number: undefined }],
    ['connect', { kind: 'connect' }],
    ['disconnect', { kind: 'disconnect' }],
    ['room', { kind: 'room' }],
    ['help', { kind: 'help', unknown: undefined }],
    ['frobnicate', { kind: 'help', unknown: 'frobnicate' }],
  ])('%j', (text, expected) => {
    expect(parseWebexCommand(text)).toEqual(expected);
  });

  it('does not take a look-alike mention for a user id', () => {
    expect(parseWebexCommand('<@hello> <!channel> standup now')).toMatchObject({ kind: 'start', mentions: [] });
  });
});
