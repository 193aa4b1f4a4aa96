import { type CallingActor as Actor } from '../../core';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { startTestService, type TestService } from '../helpers/service';

describe.each(['sqlite', 'postgres'] as const)('calling through the Xsi emulator over loopback (%s)', (store) => {
  let service: TestService;
  let xsi: XsiEmulator;
  let anna: Actor;

  beforeAll(async () => {
    // Ringing lasts long enough to be seen by the first poll even on a loaded machine (load 12 on
    // 2 CPUs: placeCall plus the first callStatus took over 500 ms and the test saw no Alerting).
    xsi = new XsiEmulator({ alertingMs: 2500, activeMs: 500 });
    service = await startTestService({ emulators: [xsi], store });
    const user = await service.users.create({ teamsAadObjectId: 'aad-anna', email: 'anna.devries@sandbox.kpneen.nl' });
    anna = { userId: user.id, tenantId: 'tenant-1' };
  });
  afterAll(() => service.dispose());
  beforeEach(() => xsi.log.clear());

  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));

  it('places a call that ends up in the emulator and moves Alerting -> Active -> Released', async () => {
    const placed = await service.calling.calling.placeCall(anna, '06 1234 5678');
    expect(callsNew()).toEqual([
      expect.objectContaining({
        path: '/sandbox/xsi/com.broadsoft.xsi-actions/v2.0/user/0201234501%40sandbox.kpneen.nl/calls/new',
        query: { address: '+31612345678' },
        headers: expect.objectContaining({ authorization: '[hidden]' }),
      }),
    ]);
    const states: string[] = [];
    // Poll rather than sleep fixed times: the suite runs on a loaded machine.
    for (const end = Date.now() + 10_000; Date.now() < end; ) {
      const state = (await service.calling.calling.callStatus(anna, placed.callId))?.state ?? 'Released';
      if (states[states.length - 1] !== state) states.push(state);
      if (state === 'Released') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(states).toEqual(['Alerting', 'Active', 'Released']);
    const recent = await service.calling.calling.recentCalls(anna);
    expect(recent[0]).toMatchObject({ type: 'placed', phoneNumber: '+31612345678' });
  });

  it('linked Anna by e-mail through the enterprise directory on first use', async () => {
    expect((await service.users.byId(anna.userId))?.broadworksUserId).toBe('0201234501@sandbox.kpneen.nl');
  });

  it('hangs up an alerting call', async () => {
    const placed = await service.calling.calling.placeCall(anna, '1003');
    await service.calling.calling.hangUp(anna, placed.callId);
    expect(await service.calling.calling.callStatus(anna, placed.callId)).toBeUndefined();
    await expect(service.calling.calling.hangUp(anna, placed.callId)).rejects.toMatchObject({ key: 'calling.callNotFound' });
  });

  it.each(['112', '0900 1234567', '0906 123456', '+979 123456789', 'bel me', '06-1234', '📞', '1'.repeat(40)])(
    'never lets %j reach the emulator',
    async (input) => {
      await expect(service.calling.calling.placeCall(anna, input)).rejects.toHaveProperty('key');
      expect(callsNew()).toEqual([]);
    },
  );

  it('searches the seeded enterprise directory', async () => {
    const jansens = await service.calling.calling.searchDirectory(anna, 'jansen');
    expect(jansens.map((e) => e.displayName)).toEqual(['Annelies Jansen', 'Thijs Jansen']);
    const byExtension = await service.calling.calling.searchDirectory(anna, '1012');
    expect(byExtension.map((e) => e.displayName)).toEqual(['Noor van Dijk']);
    const full = await service.calling.calling.searchDirectory(anna, 'Noor van Dijk');
    expect(full).toHaveLength(1);
  });

  it('refuses requests without the sandbox Basic credentials', async () => {
    const url = `${service.url}/sandbox/xsi/com.broadsoft.xsi-actions/v2.0/user/0201234501@sandbox.kpneen.nl/calls`;
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('<ErrorInfo xmlns="http://schema.broadsoft.com/xsi">');
    const wrong = await fetch(url, { headers: { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` } });
    expect(wrong.status).toBe(401);
  });

  it('stops a user after 10 calls in a minute', async () => {
    const pieter = await service.users.create({ teamsAadObjectId: 'aad-pieter', email: 'pieter.bakker@sandbox.kpneen.nl' });
    const actor = { userId: pieter.id, tenantId: 'tenant-1' };
    for (let i = 0; i < 10; i += 1) await service.calling.calling.placeCall(actor, '1001');
    await expect(service.calling.calling.placeCall(actor, '1001')).rejects.toMatchObject({ key: 'calling.policy.rateLimited' });
    expect(callsNew()).toHaveLength(10);
  });

  it('stores the Xsi credential sealed in the token vault', async () => {
    const rows = await service.store.db.selectFrom('secrets').selectAll().where('owner', '=', 'system:xsi').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealed).not.toContain('sandbox-xsi-password');
  });
});

describe('the Xsi emulator on shutdown', () => {
  it('clears its call timers in close(), so no call moves on after the service stopped', async () => {
    const xsi = new XsiEmulator({ alertingMs: 80, activeMs: 80 });
    const service = await startTestService({ emulators: [xsi] });
    const user = await service.users.create({ teamsAadObjectId: 'aad-x', email: 'fleur.meijer@sandbox.kpneen.nl' });
    const placed = await service.calling.calling.placeCall({ userId: user.id, tenantId: 't' }, '0612345678');
    await service.dispose();
    await new Promise((r) => setTimeout(r, 200));
    expect(xsi.calls.get(placed.callId)?.state).toBe('Alerting');
  });
});
