import { GraphEmulator, SANDBOX_GRAPH_DRIVE_ID } from '../../sandbox/graph-api/graph-emulator';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { parseCommand } from '../../webex-bot';
import { startTestService, type TestService } from '../helpers/service';
import { allowSources, postedMessages, spacePerson, type SpacePerson } from '../helpers/webex-sandbox';

describe('parsing `subscribe onedrive`', () => {
  it('takes a path with spaces or a sharing link, in English and Dutch', () => {
    expect(parseCommand('subscribe onedrive Gedeelde documenten/Offertes 2027')).toEqual({
      language: 'en',
      command: { name: 'subscribe', source: 'onedrive', folder: 'Gedeelde documenten/Offertes 2027', filter: {} },
    });
    expect(parseCommand('abonneer OneDrive "Projecten"')).toEqual({ language: 'nl', command: { name: 'subscribe', source: 'onedrive', folder: 'Projecten', filter: {} } });
    expect(parseCommand('subscribe onedrive https://contoso.sharepoint.com/:f:/s/sales/EabcD').command).toMatchObject({ folder: 'https://contoso.sharepoint.com/:f:/s/sales/EabcD' });
    expect(parseCommand('subscribe onedrive').command).toEqual({ name: 'subscribe', source: undefined });
  });
});

describe('the Webex bot subscribing a space to a OneDrive folder (sandbox, over loopback)', () => {
  let service: TestService;
  let webex: WebexEmulator;
  let graph: GraphEmulator;
  let base: string;
  const person = { token: 'sanne-token', email: 'sanne@example.nl' };
  let space: SpacePerson['space'];
  let say: SpacePerson['say'];

  beforeAll(async () => {
    service = await startTestService();
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    graph = service.emulators.find((e): e is GraphEmulator => e instanceof GraphEmulator)!;
    base = `${service.endpoints.sandbox('webex')}/v1`;
    ({ space, say } = spacePerson(webex, base, person));
    // Spaces follow only what an administrator listed (issue 13): every folder of the sandbox's drive.
    await allowSources(service, [['graph', SANDBOX_GRAPH_DRIVE_ID]]);
  });
  afterAll(() => service.dispose());

  it('subscribes by path, then a file created in the emulator lands in the Webex emulator log', async () => {
    const room = await space('Offertes');
    expect(await say(room, 'subscribe onedrive Documenten')).toBe('This space now follows OneDrive folder **Documenten**: new, changed and deleted files.');
    expect(graph.subscriptions.size).toBe(1);
    expect(await say(room, 'subscriptions')).toMatch(new RegExp(`^This space follows:\\n1\\. OneDrive ${SANDBOX_GRAPH_DRIVE_ID.replace(/[!]/g, '\\$&')}/`));

    const created = await fetch(`${service.endpoints.sandbox('graph')}/_drive/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parentPath: 'Documenten', name: 'Offerte 2027.docx', by: 'Pieter Jansen' }),
    });
    expect(created.status).toBe(201);
    const webexBase = service.endpoints.sandbox('webex');
    let logged: { body: string }[] = [];
    for (let i = 0; i < 250; i++) {
      await graph.settled();
      await service.notifications.graph!.idle();
      logged = (await postedMessages(webexBase)).filter((r) => r.body.includes('Offerte 2027.docx'));
      if (logged.length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!.body)).toMatchObject({ roomId: room, markdown: expect.stringContaining('**Pieter Jansen** created') });
  });

  it('subscribes by sharing link in Dutch, sharing the one drive subscription', async () => {
    const room = await space('Projecten');
    const link = graph.shareUrl({ id: graph.folderId('Projecten')! });
    expect(await say(room, `abonneer onedrive ${link}`)).toBe('Deze space volgt nu OneDrive-map **Projecten**: nieuwe, gewijzigde en verwijderde bestanden.');
    expect(graph.subscriptions.size).toBe(1);
  });

  it('says Graph refused for a missing permission when the app lacks Files.ReadWrite.All, and follows nothing', async () => {
    // Create subscription, Permissions (https://learn.microsoft.com/graph/api/subscription-post-subscriptions).
    // No drive subscription yet, so the bot has to ask Graph for one.
    graph.subscriptions.clear();
    await service.store.db.deleteFrom('graph_subscriptions').execute();
    graph.appRoles = ['Files.Read.All', 'Sites.Read.All'];
    try {
      const room = await space('Zonder rechten');
      expect(await say(room, 'subscribe onedrive Documenten')).toBe('That did not work: Microsoft Graph refused: een-bridge lacks a permission it needs. Ask your administrator to run `een-bridge doctor`, which names it.');
      expect(await say(room, 'subscriptions')).toBe('This space follows nothing yet. Try `subscribe jira KEY`.');
    } finally {
      graph.appRoles = ['Files.ReadWrite.All'];
    }
  });

  it('says so when the folder does not exist or is a file', async () => {
    const room = await space('Leeg');
    expect(await say(room, 'subscribe onedrive Bestaat/niet')).toBe('I cannot find a OneDrive folder "Bestaat/niet". Give its path in the document library or a sharing link to the folder.');
    expect(await say(room, 'subscriptions')).toBe('This space follows nothing yet. Try `subscribe jira KEY`.');
  });
});
