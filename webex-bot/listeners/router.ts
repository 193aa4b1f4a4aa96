import type { Language, ReplyAuthor } from '../../core';
import type { BotReply, CardAction } from '../cards';
import type { BotCommand } from '../command-parser';
import type { PersonalAction } from '../personal-cards';
import type { SpaceTurn } from './space';

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

/** A space command by the name webex-bot/command-parser.ts reads it as; it answers with the reply. */
export type SpaceCommandName = BotCommand['name'];
export type SpaceHandler<N extends SpaceCommandName> = (turn: SpaceTurn, command: Extract<BotCommand, { name: N }>) => Promise<BotReply>;
/** A button of the subscription cards (webex-bot/cards.ts). */
export type SpaceActionHandler = (turn: SpaceTurn, action: CardAction) => Promise<BotReply>;

/** A space the bot is in, as an event gives it, and how to post there (into a thread with `parentId`). */
export interface SpaceEvent {
  roomId: string;
  say(reply: BotReply, parentId?: string): Promise<void>;
}

/** The bot's events besides commands, each with its listener's shape. */
export interface WebexEvents {
  /** Someone added the bot to a space (the framework's `spawn` with `addedBy`). */
  added: (space: SpaceEvent, addedBy: string) => Promise<void>;
  /** A `memberships:deleted` event said the bot left the space (the framework's `despawn`). */
  removed: (roomId: string, botPersonId: string) => Promise<void>;
  /** A message in a thread: true when it replied to one of our notifications and was carried to its source; false: it is a command. */
  threadReply: (space: SpaceEvent, author: ReplyAuthor, parentId: string, text: string) => Promise<boolean>;
  /** A "Change status" or "Move to …" button of a reply card, on the message `pressedMessageId`. */
  jiraStatus: (space: SpaceEvent, author: ReplyAuthor, pressedMessageId: string, action: CardAction) => Promise<void>;
}

/**
 * The bot's commands as small files (webex-bot/listeners/*.ts, issue 14): each file registers
 * here, so the bot's command set reads as the lists in listeners/index.ts. The personal
 * commands (call, …) register their first words and answer by themselves; the space commands
 * (subscribe, …) register the name the space-command parser (webex-bot/command-parser.ts) reads
 * and return their answer, which SpaceCommands (space-commands.ts) says after the shared
 * checks. A text none of the personal words starts goes to the space commands. Events (added
 * to or removed from a space, a reply in a thread, a reply card's Jira buttons) register by name.
 */
export class WebexCommandRouter {
  private readonly commands = new Map<string, { language: Language; handler: CommandHandler }>();
  private readonly actions = new Map<string, (turn: ListenerTurn, action: PersonalAction) => Promise<void>>();
  private readonly spaceCommands = new Map<SpaceCommandName, SpaceHandler<SpaceCommandName>>();
  private readonly spaceActions = new Map<CardAction['action'], SpaceActionHandler>();
  private readonly events: Partial<WebexEvents> = {};

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

  /** A space command, by the name the parser gives it (one listener per name). */
  space<N extends SpaceCommandName>(name: N, handler: SpaceHandler<N>): void {
    if (this.spaceCommands.has(name)) throw new Error(`two Webex listeners claim the space command "${name}"`);
    // The map is keyed by the command's name, so a handler only ever gets its own kind of command.
    this.spaceCommands.set(name, handler as unknown as SpaceHandler<SpaceCommandName>);
  }

  /** A button of the subscription cards, by its action. */
  spaceAction(name: CardAction['action'], handler: SpaceActionHandler): void {
    if (this.spaceActions.has(name)) throw new Error(`two Webex listeners claim the card action "${name}"`);
    this.spaceActions.set(name, handler);
  }

  /** The space command names no listener took, of those given (checked once when the bot is built). */
  unclaimed(names: readonly SpaceCommandName[]): SpaceCommandName[] {
    return names.filter((name) => !this.spaceCommands.has(name));
  }

  /** The answer of the listener of a parsed space command. */
  answer(turn: SpaceTurn, command: BotCommand): Promise<BotReply> {
    const handler = this.spaceCommands.get(command.name);
    if (!handler) throw new Error(`no Webex listener for the space command "${command.name}"`);
    return handler(turn, command);
  }

  /** The answer of the listener of a pressed subscription-card button. */
  answerPress(turn: SpaceTurn, action: CardAction): Promise<BotReply> {
    const handler = this.spaceActions.get(action.action);
    if (!handler) throw new Error(`no Webex listener for the card action "${action.action}"`);
    return handler(turn, action);
  }

  /** The listener of an event (one per event). */
  on<E extends keyof WebexEvents>(event: E, handler: WebexEvents[E]): void {
    if (this.events[event]) throw new Error(`two Webex listeners claim the event "${event}"`);
    this.events[event] = handler;
  }

  /** The listener of an event; undefined when nobody listens (e.g. replies to sources are off). */
  event<E extends keyof WebexEvents>(event: E): WebexEvents[E] | undefined {
    return this.events[event];
  }
}
