import { inviteesOf } from '../../teams-app/listeners/start-meeting';
import type { ConversationMember } from '../../teams-app/turn';

const member = (aadObjectId: string, fields: Partial<ConversationMember> = {}): ConversationMember => ({
  aadObjectId,
  name: undefined,
  email: undefined,
  userPrincipalName: undefined,
  tenantId: 't',
  userRole: 'user',
  ...fields,
});

describe('the invitees of "Start a Webex meeting": the conversation\'s other members', () => {
  it('leaves out the person who asks, by object id or address, and anyone without an address', () => {
    const invitees = inviteesOf(
      [
        member('me', { email: 'anna@example.com' }),
        member('other-me', { email: 'ANNA@example.com' }),
        member('pieter', { email: 'Pieter@Example.com', name: 'Pieter' }),
        member('nobody'),
      ],
      { aadObjectId: 'me', email: 'anna@example.com' },
    );
    expect(invitees).toEqual([{ email: 'pieter@example.com', displayName: 'Pieter' }]);
  });

  it('falls back to the user principal name, and invites each address once', () => {
    const invitees = inviteesOf(
      [member('a', { userPrincipalName: 'sanne@example.com' }), member('b', { email: 'sanne@example.com' }), member('c', { userPrincipalName: 'not-an-address' })],
      { aadObjectId: 'me', email: undefined },
    );
    expect(invitees).toEqual([{ email: 'sanne@example.com' }]);
  });

  it('invites at most the 1000 Webex takes', () => {
    const many = Array.from({ length: 1200 }, (_, i) => member(`m${i}`, { email: `p${i}@example.com` }));
    expect(inviteesOf(many, { aadObjectId: 'me', email: undefined })).toHaveLength(1000);
  });
});
