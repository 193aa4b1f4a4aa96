import { inTurnPerSpace, spaceOfEvent } from '../../webex-bot/in-turn-per-space';

// Envelopes as Webex sends them (https://developer.webex.com/docs/api/guides/webhooks), trimmed to
// what decides the space; ids shortened.
const message = (id: string, roomId: string) => ({ id: 'hook', resource: 'messages', event: 'created', data: { id, roomId } });

/** A delivery that finishes only when the test says so, recording when each event started. */
function gatedDelivery() {
  const started: string[] = [];
  const gates = new Map<string, { open: () => void; fail: (err: Error) => void }>();
  const deliver = (event: Record<string, unknown>) => {
    const id = (event.data as { id: string }).id;
    started.push(id);
    return new Promise<void>((resolve, reject) => gates.set(id, { open: resolve, fail: reject }));
  };
  return { deliver, started, gate: (id: string) => gates.get(id)! };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('events handed to the bot framework one at a time per space', () => {
  it('takes the space from data.roomId, or from data.id for a rooms event', () => {
    expect(spaceOfEvent(message('M1', 'R1'))).toBe('R1');
    expect(spaceOfEvent({ resource: 'memberships', event: 'deleted', data: { id: 'MS1', roomId: 'R2', personId: 'P1' } })).toBe('R2');
    expect(spaceOfEvent({ resource: 'rooms', event: 'updated', data: { id: 'R3', title: 'Nieuw' } })).toBe('R3');
    expect(spaceOfEvent({ resource: 'messages', event: 'created', data: { id: 'M2' } })).toBeUndefined();
  });

  it("starts a space's next event only when its previous one is done, and other spaces meanwhile", async () => {
    const { deliver, started, gate } = gatedDelivery();
    const inTurn = inTurnPerSpace(deliver);
    const first = inTurn.deliver(message('M1', 'R1'));
    void inTurn.deliver(message('M2', 'R1'));
    void inTurn.deliver(message('M3', 'R2'));
    await tick();
    expect(started).toEqual(['M1', 'M3']);
    gate('M1').open();
    await first;
    await tick();
    expect(started).toEqual(['M1', 'M3', 'M2']);
  });

  it('goes on with a space after an event that failed, and hands the failure to its caller', async () => {
    const { deliver, started, gate } = gatedDelivery();
    const inTurn = inTurnPerSpace(deliver);
    const first = inTurn.deliver(message('M1', 'R1'));
    void inTurn.deliver(message('M2', 'R1'));
    await tick();
    gate('M1').fail(new Error('Webex said 502'));
    await expect(first).rejects.toThrow('Webex said 502');
    await tick();
    expect(started).toEqual(['M1', 'M2']);
  });

  it('forgets a space once its last event is done, so it holds only spaces with events under way', async () => {
    const { deliver, gate } = gatedDelivery();
    const inTurn = inTurnPerSpace(deliver);
    const events = ['R1', 'R2', 'R1'].map((room, i) => inTurn.deliver(message(`M${i}`, room)));
    expect(inTurn.busySpaces()).toBe(2);
    await tick();
    gate('M0').open();
    gate('M1').open();
    await Promise.all(events.slice(0, 2));
    await tick();
    expect(inTurn.busySpaces()).toBe(1);
    gate('M2').open();
    await events[2];
    await tick();
    expect(inTurn.busySpaces()).toBe(0);
  });

  it('stops waiting for an event that hangs after maxWaitMs, so the space is not stuck for good', async () => {
    const { deliver, started } = gatedDelivery();
    const inTurn = inTurnPerSpace(deliver, 50);
    void inTurn.deliver(message('M1', 'R1'));
    void inTurn.deliver(message('M2', 'R1'));
    await tick();
    expect(started).toEqual(['M1']);
    await new Promise((r) => setTimeout(r, 80));
    expect(started).toEqual(['M1', 'M2']);
  });
});
