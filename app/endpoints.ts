/**
 * Where each external system is reached. Sandboxed systems live on this very process, whose
 * port is known only after listen (tests bind port 0), so clients ask at call time.
 */
export class Endpoints {
  private selfUrl: string | undefined;

  /**
   * `upstreams`: where a sandboxed system's emulator is reached instead of this process, by
   * emulator name (tests put a fault proxy in front of an emulator elsewhere). Code only, never
   * the environment: sandbox mode stays all or nothing.
   */
  constructor(private readonly upstreams: Readonly<Record<string, string>> = {}) {}

  setSelf(url: string): void {
    this.selfUrl = url.replace(/\/+$/, '');
  }

  /** This process's own base URL, e.g. http://127.0.0.1:3978. */
  self(): string {
    if (!this.selfUrl) throw new Error('the service is not listening yet');
    return this.selfUrl;
  }

  /** Base URL of the emulator mounted under /sandbox/<name>. */
  sandbox(name: string): string {
    return this.upstreams[name] ?? `${this.self()}/sandbox/${name}`;
  }
}
