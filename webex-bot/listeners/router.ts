import type { Language } from '../../core';
import type { BotReply } from '../cards';
import type { PersonalAction } from '../personal-cards';

/** Who wrote or pressed, as Webex's People API gives them (see whoOf in webex-bot/index.ts). */
export interface WebexPerson {
  roomId: string;
  personId: string;
  personEmail: string;
  personOrgId: string | undefined;
  displayName: string | undefined;
}

/** One typed command or button press, with what a listener may do in reply. */
export interface ListenerTurn {
  who: WebexPerson;
  /** The language of the command word (or of the pressed card). */
  language: Language;
  /** What followed the command word, trimmed. */
  text: string;
  /** A 1:1 space with the bot (Room.type `direct`), not a group space. */
  direct: boolean;
  /** Posts into the space the turn came from (also after the turn, for call status). */
  say(reply: BotReply): Promise<void>;
  /** Posts markdown alone (no card, so it can be edited later); resolves with the message id. */
  post(markdown: string): Promise<string>;
  /** Replaces the markdown of a message `post` made (Webex: at most 10 times, never a card). */
  edit(messageId: string, markdown: string): Promise<void>;
}

export type CommandHandler = (turn: ListenerTurn) => Promise<void>;
export type ActionHandler<A extends PersonalAction['action']> = (turn: ListenerTurn, action: Extract<PersonalAction, { action: A }>) => Promise<void>;

/**
 * The commands added as small files (webex-bot/listeners/*.ts, issue 14): each file registers
 * its words and buttons here, so the bot's command set reads as the list in listeners/index.ts.
 * The space commands (subscribe, …) stay in space-commands.ts; a text none of these words
 * starts goes there.
 */
export class WebexCommandRouter {
  private readonly commands = new Map<string, { language: Language; handler: CommandHandler }>();
  private readonly actions = new Map<string, (turn: ListenerTurn, action: PersonalAction) => Promise<void>>();

  /** `words`: each first word, lower case, and the language it is in. */
  command(words: Readonly<Record<string, Language>>, handler: CommandHandler): void {
    for (const [word, language] of Object.entries(words)) {
      if (this.commands.has(word)) throw new Error(`two Webex listeners claim "${word}"`);
      this.commands.set(word, { language, handler });
    }
  }

  action<A extends PersonalAction['action']>(name: A, handler: ActionHandler<A>): void {
    // The map is keyed by the action's name, so a handler only ever gets its own kind of action.
    this.actions.set(name, handler as unknown as (turn: ListenerTurn, action: PersonalAction) => Promise<void>);
  }

  /** Every first word a listener takes (for the framework's `hears`). */
  words(): string[] {
    return [...this.commands.keys()];
  }

  /** The listener for this text (mention already removed), with the rest of the text; undefined when none claims it. */
  match(text: string): { handler: CommandHandler; language: Language; rest: string } | undefined {
    // "hang up" is said as two words; it is one command.
    const normalised = text.trim().replace(/^hang\s+up\b/i, 'hangup');
    const [, first = '', rest = ''] = /^(\S*)\s*([\s\S]*)$/.exec(normalised) ?? [];
    const found = this.commands.get(first.toLowerCase());
    return found ? { handler: found.handler, language: found.language, rest: rest.trim() } : undefined;
  }

  /** Runs the listener of a pressed button; false when no listener takes it. */
  press(turn: ListenerTurn, action: PersonalAction): Promise<void> | false {
    const handler = this.actions.get(action.action);
    return handler ? handler(turn, action) : false;
  }
}
