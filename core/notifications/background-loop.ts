import { WakeUpCall } from './wake-up-call';

/**
 * A loop that runs in the background of the service (the outbox worker, the router, the digest
 * scheduler): started once, woken when new work was committed, stopped after the round in
 * progress. Each subclass says what one round is and how long it sleeps (`run`).
 */
export abstract class BackgroundLoop {
  protected running = false;
  protected readonly alarm = new WakeUpCall();
  private loop: Promise<void> | undefined;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.alarm.restart();
    this.loop = this.run();
  }

  /** Lets the round in progress finish (what it claimed is sent and recorded), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.alarm.stop();
    await this.loop;
  }

  /** New work was committed: skip the rest of the idle sleep. */
  wake(): void {
    this.alarm.wake();
  }

  /** Rounds until `running` is false. */
  protected abstract run(): Promise<void>;
}
