import type { Narrator } from './narrator';

/** One of the demo's stories: a few steps over HTTP, and the emulators whose logs tell it. */
export interface Story {
  /** "a", "b", "c". */
  id: string;
  title: string;
  /** Emulators whose `_log` is shown after the story. */
  emulators: readonly string[];
  run(url: string, narrator: Narrator): Promise<void>;
}
