/**
 * Where each external system is reached. Sandboxed systems live on this very process, whose
 * port is known only after listen (tests bind port 0), so clients ask at call time.
 */
export class Endpoints {
  private selfUrl: string | undefined;

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
    return `${this.self()}/sandbox/${name}`;
  }
}
