import { BackgroundLoop } from '../../core/notifications/background-loop';

/**
 * A stop must end the loop within the round in progress, whatever the round awaits when the stop
 * comes. The digest scheduler looked up its next due row after the `running` check and then slept
 * a whole poll (30 s), so a service stopped at that moment held its shutdown for 30 s (CI, stop 19).
 */
class LookThenSleep extends BackgroundLoop {
  rounds = 0;
  lookedUp: () => void = () => undefined;
  private release: () => void = () => undefined;
  readonly looking = new Promise<void>((resolve) => (this.lookedUp = resolve));

  protected async run(): Promise<void> {
    while (this.running) {
      this.rounds++;
      // The stop arrives while this await is pending, after the loop last looked at `running`.
      await new Promise<void>((resolve) => {
        this.release = resolve;
        this.lookedUp();
      });
      await this.alarm.sleep(60_000);
    }
  }

  letGo(): void {
    this.release();
  }
}

describe('a background loop', () => {
  it('stops at once when the stop comes while the round awaits something before its sleep', async () => {
    const loop = new LookThenSleep();
    loop.start();
    await loop.looking;
    const stopping = loop.stop();
    loop.letGo();
    const started = Date.now();
    const outcome = await Promise.race([stopping.then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still sleeping'), 2_000).unref())]);
    expect(outcome).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(loop.rounds).toBe(1);
  });

  it('can be started again after a stop and sleeps its full time again', async () => {
    const loop = new LookThenSleep();
    loop.start();
    await loop.looking;
    const stopping = loop.stop();
    loop.letGo();
    await stopping;
    loop.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(loop.rounds).toBe(2);
    const second = loop.stop();
    loop.letGo();
    await second;
  });
});
