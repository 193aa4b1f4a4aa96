/**
 * How the demo talks: plain lines on stdout (ESLint forbids console outside bin/bench/test),
 * and one failure line that names the story and the step.
 */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** A step that did not complete: which story, which step, and why. */
export class StepFailed extends Error {
  constructor(
    readonly story: string,
    readonly step: string,
    readonly reason: string,
  ) {
    super(`story "${story}", step "${step}": ${reason}`);
    this.name = 'StepFailed';
  }
}

export function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? ` (${cause.message})` : '';
    return `${err.message}${detail}`;
  }
  return String(err);
}

/** Runs the steps of one story in order, printing each; the first failure stops the story. */
export class Narrator {
  private current = 'before the first step';

  constructor(readonly story: string) {}

  async step<T>(text: string, action: () => Promise<T>): Promise<T> {
    this.current = text;
    say(`  - ${text}`);
    try {
      return await action();
    } catch (err) {
      if (err instanceof StepFailed) throw err;
      throw new StepFailed(this.story, text, reasonOf(err));
    }
  }

  /** A detail under the current step. */
  note(text: string): void {
    say(`      ${text}`);
  }

  /** The step running now (for a time limit that expires in the middle of it). */
  get currentStep(): string {
    return this.current;
  }
}

/** Polls `read` until it gives a value, or fails with `what` after `ms`. */
export async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
