import type { RespondFn, SlackViewMiddlewareArgs, ViewOutput, webApi } from '@slack/bolt';
import type { WebexCommand } from '../command-text';
import type { SlackTurn, Who } from './turn';

/** A `/webex` subcommand by the kind the parser (slack-app/command-text.ts) reads it as. */
export type SlackCommandKind = WebexCommand['kind'];
/** `turn.who` is already known: the edge finds the person before any subcommand runs. */
export type CommandHandler<K extends SlackCommandKind> = (turn: SlackCommandTurn, command: Extract<WebexCommand, { kind: K }>) => Promise<void>;
/** A `/webex` line: the person (found at the edge), where it was typed and the modal trigger. */
export interface SlackCommandTurn extends Omit<SlackTurn, 'who'> {
  who: Who;
  triggerId: string;
  channelId: string;
}

/** A button (block action): its value, and the person found when the listener asks (`turn.who`). */
export type ActionHandler = (turn: SlackTurn, value: string) => Promise<void>;

/** A modal submission: the listener acknowledges itself, as it may answer with field errors. */
export interface SlackViewTurn {
  who: Who;
  client: webApi.WebClient;
  view: ViewOutput;
  slackUserId: string;
  /** Bolt's acknowledgement, with `{ response_action: 'errors', errors }` to keep the modal open. */
  ack: SlackViewMiddlewareArgs['ack'];
}
export type ViewHandler = (turn: SlackViewTurn) => Promise<void>;

/** The App Home tab opened (Bolt has acknowledged the event already). */
export interface SlackHomeOpened {
  /** Which tab was opened ("home" or "messages"). */
  tab: string | undefined;
  slackUserId: string;
  client: webApi.WebClient;
  who(): Promise<Who>;
}
export type HomeHandler = (event: SlackHomeOpened) => Promise<void>;

/** Re-exported for listeners that answer through response_url. */
export type { RespondFn };

/**
 * The Slack app's `/webex` subcommands, buttons, modal and App Home as small files
 * (slack-app/listeners/, issue 14); listeners/index.ts lists them. Subcommands register by the
 * kind slack-app/command-text.ts gives a typed line; buttons by their action_id (a string, or a
 * pattern for numbered ones); the modal by its callback_id; App Home by its event name.
 * slack-app.ts only acknowledges, finds the person, dispatches here and renders failures.
 */
export class SlackRouter {
  private readonly commands = new Map<SlackCommandKind, CommandHandler<SlackCommandKind>>();
  private readonly actionList: { id: string | RegExp; handler: ActionHandler }[] = [];
  private readonly views = new Map<string, ViewHandler>();
  private home: HomeHandler | undefined;

  /** A subcommand, by its kind (one listener per kind). */
  command<K extends SlackCommandKind>(kind: K, handler: CommandHandler<K>): void {
    if (this.commands.has(kind)) throw new Error(`two Slack listeners claim the command "${kind}"`);
    // The map is keyed by the command's kind, so a handler only ever gets its own kind of command.
    this.commands.set(kind, handler as unknown as CommandHandler<SlackCommandKind>);
  }

  /** The command kinds no listener took, of those given (checked once when the app is built). */
  unclaimed(kinds: readonly SlackCommandKind[]): SlackCommandKind[] {
    return kinds.filter((kind) => !this.commands.has(kind));
  }

  /** Runs the listener of a parsed command. */
  run(turn: SlackCommandTurn, command: WebexCommand): Promise<void> {
    const handler = this.commands.get(command.kind);
    if (!handler) throw new Error(`no Slack listener for the command "${command.kind}"`);
    return handler(turn, command);
  }

  /** A button, by its action_id or a pattern of them (one listener per id or pattern). */
  action(id: string | RegExp, handler: ActionHandler): void {
    if (this.actionList.some((a) => String(a.id) === String(id))) throw new Error(`two Slack listeners claim the action ${String(id)}`);
    this.actionList.push({ id, handler });
  }

  /** The buttons, in the order they registered (slack-app.ts hands each to Bolt's app.action). */
  actions(): readonly { id: string | RegExp; handler: ActionHandler }[] {
    return this.actionList;
  }

  /** A modal's submission, by its callback_id. */
  view(callbackId: string, handler: ViewHandler): void {
    if (this.views.has(callbackId)) throw new Error(`two Slack listeners claim the modal "${callbackId}"`);
    this.views.set(callbackId, handler);
  }

  /** The modals, by callback_id (slack-app.ts hands each to Bolt's app.view). */
  modals(): readonly [string, ViewHandler][] {
    return [...this.views];
  }

  /** The App Home tab opened (Slack's app_home_opened event). */
  onHomeOpened(handler: HomeHandler): void {
    if (this.home) throw new Error('two Slack listeners claim the event "app_home_opened"');
    this.home = handler;
  }

  /** The listener of app_home_opened; undefined when none listens. */
  homeOpened(): HomeHandler | undefined {
    return this.home;
  }
}
