import { own, type Actor, type User } from '../../core';
import type { BotCommand } from '../commands';
import type { IncomingTurn, InvokeResult, TurnIo } from '../turn';
import type { TeamsTurn } from './bot';

/** `who`: the core user and the Actor of the sender, built at the edge (teams-app/actor.ts) when asked for. */
export type ActionCommandHandler = (turn: IncomingTurn, who: () => Promise<{ user: User; actor: Actor }>, io: TurnIo) => Promise<InvokeResult>;

/** A bot command by the kind teams-app/commands.ts reads it as, typed or from one of our card buttons. */
export type TeamsCommandKind = BotCommand['kind'];
export type CommandHandler<K extends TeamsCommandKind> = (turn: TeamsTurn, command: Extract<BotCommand, { kind: K }>) => Promise<void>;
/** An invoke the bot answers itself (by its name, e.g. composeExtension/onCardButtonClicked). */
export type InvokeHandler = (turn: TeamsTurn) => Promise<InvokeResult>;
/** An event of the conversation (the bot added to a chat or team). */
export type EventHandler = (turn: TeamsTurn) => Promise<void>;

/**
 * The Teams app's commands as small files (teams-app/listeners/, issue 14); listeners/index.ts
 * lists them. The message extension's action commands register by their manifest command id;
 * the bot's commands by the kind the parser (teams-app/commands.ts) gives a typed text or a
 * pressed card button, so a word and its button reach the same listener; invokes and events by
 * their name.
 */
export class TeamsActionRouter {
  private readonly handlers = new Map<string, ActionCommandHandler>();
  private readonly commands = new Map<TeamsCommandKind, CommandHandler<TeamsCommandKind>>();
  private readonly invokes = new Map<string, InvokeHandler>();
  private readonly events = new Map<'installed', EventHandler>();

  action(commandId: string, handler: ActionCommandHandler): void {
    if (this.handlers.has(commandId)) throw new Error(`two Teams listeners claim the command "${commandId}"`);
    this.handlers.set(commandId, handler);
  }

  /** The listener of a composeExtension/submitAction, by the command id in its value. */
  forInvoke(turn: IncomingTurn): ActionCommandHandler | undefined {
    if (turn.name !== 'composeExtension/submitAction') return undefined;
    const id = own(turn.value, 'commandId');
    return typeof id === 'string' ? this.handlers.get(id) : undefined;
  }

  /** A bot command, by its kind (one listener per kind). */
  command<K extends TeamsCommandKind>(kind: K, handler: CommandHandler<K>): void {
    if (this.commands.has(kind)) throw new Error(`two Teams listeners claim the bot command "${kind}"`);
    // The map is keyed by the command's kind, so a handler only ever gets its own kind of command.
    this.commands.set(kind, handler as unknown as CommandHandler<TeamsCommandKind>);
  }

  /** The command kinds no listener took, of those given (checked once when the bot is built). */
  unclaimed(kinds: readonly TeamsCommandKind[]): TeamsCommandKind[] {
    return kinds.filter((kind) => !this.commands.has(kind));
  }

  /** Runs the listener of a parsed command. */
  run(turn: TeamsTurn, command: BotCommand): Promise<void> {
    const handler = this.commands.get(command.kind);
    if (!handler) throw new Error(`no Teams listener for the bot command "${command.kind}"`);
    return handler(turn, command);
  }

  invoke(name: string, handler: InvokeHandler): void {
    if (this.invokes.has(name)) throw new Error(`two Teams listeners claim the invoke "${name}"`);
    this.invokes.set(name, handler);
  }

  /** The listener of an invoke by its name; undefined for those the message extension answers. */
  forInvokeName(name: string | undefined): InvokeHandler | undefined {
    return name === undefined ? undefined : this.invokes.get(name);
  }

  on(event: 'installed', handler: EventHandler): void {
    if (this.events.has(event)) throw new Error(`two Teams listeners claim the event "${event}"`);
    this.events.set(event, handler);
  }

  /** The listener of an event; undefined when none listens. */
  forEvent(event: 'installed'): EventHandler | undefined {
    return this.events.get(event);
  }
}
