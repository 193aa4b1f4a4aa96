import { parseJiraWebhook, parseTrelloWebhook, webexDeliverySender, type ClaimedDelivery, type SourceEvent, type WebexMessages } from '../../core/internal';
import { redacted } from '../../core/notifications/restricted/withheld';
import { jiraCommentCreated, jiraIssueCreated, jiraRestrictedComment, jiraSecuredIssueCreated } from '../fixtures/jira-webhooks';
import { trelloCreateCard, trelloModel } from '../fixtures/trello-webhooks';

/**
 * Issue 15, "Permission-safe", at the edges where a leak would start: what marks a change as
 * restricted (fails closed on odd shapes) and what a withheld change can still say when it is
 * rendered by any path (alone, in a digest, in doubt after a crash).
 */
const jira = (body: unknown): SourceEvent => {
  const r = parseJiraWebhook(body, 'k');
  if (r.outcome !== 'event') throw new Error(JSON.stringify(r));
  return r.event;
};
const trello = (body: unknown): SourceEvent => {
  const r = parseTrelloWebhook(body);
  if (r.outcome !== 'event') throw new Error(JSON.stringify(r));
  return r.event;
};

describe('what is restricted', () => {
  it('a Jira issue with any security level, and every change and comment to it', () => {
    expect(jira(jiraSecuredIssueCreated).restricted).toBe('jira.securityLevel');
    // An empty or id-only level is still a level: only its absence (or null) opens the issue.
    const withLevel = (security: unknown) => ({ ...jiraIssueCreated, issue: { ...jiraIssueCreated.issue, fields: { ...jiraIssueCreated.issue.fields, security } } });
    expect(jira(withLevel({})).restricted).toBe('jira.securityLevel');
    expect(jira(withLevel({ id: '10100' })).restricted).toBe('jira.securityLevel');
    expect(jira(withLevel(null)).restricted).toBeUndefined();
    expect(jira(jiraIssueCreated).restricted).toBeUndefined();
    const commentOnSecured = { ...jiraCommentCreated, issue: { ...jiraCommentCreated.issue, fields: jiraSecuredIssueCreated.issue.fields } };
    expect(jira(commentOnSecured).restricted).toBe('jira.securityLevel');
  });

  it('a Jira comment with any visibility, whatever its type', () => {
    expect(jira(jiraRestrictedComment).restricted).toBe('jira.commentVisibility');
    const visible = (visibility: unknown) => ({ ...jiraRestrictedComment, comment: { ...jiraRestrictedComment.comment, visibility } });
    expect(jira(visible({ type: 'group', value: 'jira-administrators' })).restricted).toBe('jira.commentVisibility');
    expect(jira(visible({ type: 'something-new' })).restricted).toBe('jira.commentVisibility');
    expect(jira(visible(null)).restricted).toBeUndefined();
    expect(jira(jiraCommentCreated).restricted).toBeUndefined();
  });

  it('a card on a private board, or where the board is not what was sent as model (fail closed)', () => {
    expect(trello(trelloCreateCard).restricted).toBeUndefined();
    const onBoard = (model: unknown) => ({ ...trelloCreateCard, model });
    expect(trello(onBoard({ ...trelloModel, prefs: { ...trelloModel.prefs, permissionLevel: 'private' } })).restricted).toBe('trello.privateBoard');
    expect(trello(onBoard({ ...trelloModel, prefs: { ...trelloModel.prefs, permissionLevel: 'public' } })).restricted).toBeUndefined();
    expect(trello(onBoard({ ...trelloModel, prefs: undefined })).restricted).toBe('trello.privateBoard');
    expect(trello(onBoard({ ...trelloModel, prefs: { permissionLevel: 'unheard-of' } })).restricted).toBe('trello.privateBoard');
    // A webhook on a card sends the card as model: the board's visibility is not known.
    expect(trello(onBoard({ id: '60d5ed01a1b2c3d4e5f60711', name: 'card' })).restricted).toBe('trello.privateBoard');
  });
});

describe('what a withheld change can still say', () => {
  const secret = jira(jiraSecuredIssueCreated);
  const claimed = (id: number, event: SourceEvent, withheld: boolean, extra: Partial<ClaimedDelivery> = {}): ClaimedDelivery => ({
    id, eventId: `e${id}`, spaceId: 'room', locale: 'en-GB', attempts: 0, inDoubt: false, previousClaimAt: null,
    event: withheld ? redacted(event) : event, withheld, folded: [], ...extra,
  });
  const sent: Record<string, unknown>[] = [];
  const messages = {
    create: async (m: Record<string, unknown>) => { sent.push(m); return { id: `m${sent.length}` }; },
    list: async () => [],
    room: async () => ({ id: 'room', lastActivity: undefined }),
  } as unknown as WebexMessages;
  const send = webexDeliverySender(messages);

  it('keeps nothing of the issue once redacted', () => {
    const stripped = JSON.stringify(redacted({ ...jira(jiraRestrictedComment), ...secret, comment: 'geheim' }));
    for (const leak of ['KAN-22', 'Datalek', 'Hoogvliet', 'Anouk', 'atlassian.net', 'geheim', 'Bug', 'High', 'Klantnummer']) expect(stripped).not.toContain(leak);
  });

  it('alone, in a digest and in doubt after a crash: only the count', async () => {
    sent.length = 0;
    await send(claimed(1, secret, true));
    await send(claimed(2, jira(jiraIssueCreated), false, { folded: [claimed(3, secret, true), claimed(4, jira(jiraRestrictedComment), true)] }));
    await send(claimed(5, secret, true, { inDoubt: true, previousClaimAt: new Date().toISOString() }));
    const all = JSON.stringify(sent);
    for (const leak of ['Datalek', 'Hoogvliet', 'Klantnummer', '8812', 'Administrators']) expect(all).not.toContain(leak);
    expect(sent.map((m) => String(m.text).split('\n')[0])).toEqual(['1 restricted change not shown', 'Anouk de Jong created KAN-22: Klik-en-bel faalt voor nummers met 0031', '1 restricted change not shown']);
    expect(String(sent[1]!.text).split('\n').at(-1)).toBe('- 2 restricted changes not shown');
    // Each message still carries its marker, so a delivery in doubt can find it (webex-delivery.ts).
    expect(all).toContain('een-delivery-2-3-4');
  });
});
