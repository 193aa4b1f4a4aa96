import { escapeMarkdown, presentFailure, translate, type Language } from '../core';
import type { BotReply, CardAction } from './cards';
import { parseCommand } from './command-parser';
import { webexActor } from './actor';
import { webexSpaceListeners, type SpaceDeps, type WebexCommandRouter } from './listeners';
import { tFor } from './listeners/space';

/** What the space commands use (webex-bot/listeners/space.ts). */
export type SpaceCommandsDeps = SpaceDeps;

/** A message to the bot in a space, as the framework's trigger gives it. */
export interface SpaceMessage {
  roomId: string;
  personId: string;
  personEmail: string;
  /** The sender's organisation as Webex's People API gives it (Person.orgId). */
  personOrgId: string | undefined;
  /** With the bot's mention already removed. */
  text: string;
}

/**
 * The space commands' dispatcher: reads the command (webex-bot/command-parser.ts), makes the
 * sender's Actor, lets SpaceAccess decide, and hands the command to its listener
 * (webex-bot/listeners/, one file per command), whose answer it returns. A person outside the
 * served organisations is refused politely and nothing else happens. Changing a moderated
 * space's subscriptions takes a moderator (DESIGN.md); the listeners ask the Subscriptions façade.
 */
export class SpaceCommands {
  private readonly router: WebexCommandRouter;

  constructor(private readonly deps: SpaceCommandsDeps) {
    this.router = webexSpaceListeners(deps);
  }

  async handle(message: SpaceMessage): Promise<BotReply> {
    const { language, command } = parseCommand(message.text);
    return this.guarded(language, async () => {
      const actor = await webexActor(this.deps.identity, message, language);
      if (!(await this.deps.subscriptions.serves(actor, message.roomId, command.name))) return { markdown: translate(language, 'webexbot.notServed') };
      return this.router.answer({ who: message, actor, language, t: tFor(language) }, command);
    });
  }

  /**
   * A button pressed on one of our cards, with the same rules as the typed command (in a
   * moderated space only moderators may unsubscribe).
   */
  async handleAction(action: CardAction, who: Omit<SpaceMessage, 'text'>): Promise<BotReply> {
    const language = action.lang;
    return this.guarded(language, async () => {
      const actor = await webexActor(this.deps.identity, who, language);
      if (!(await this.deps.subscriptions.serves(actor, who.roomId, `card:${action.action}`))) return { markdown: translate(language, 'webexbot.notServed') };
      return this.router.answerPress({ who, actor, language, t: tFor(language) }, action);
    });
  }

  /**
   * Every command and button ends in an answer: what failed is rendered from the one presenter
   * (core/failure.ts) as Webex markdown in the person's language, an unexpected error with the
   * reference that is logged with it, never silence in the space.
   */
  private async guarded(language: Language, work: () => Promise<BotReply>): Promise<BotReply> {
    try {
      return await work();
    } catch (err) {
      const failure = presentFailure(err, this.deps.log, 'webex-bot');
      // Params can carry what the person typed: as text, never as markdown.
      const params = Object.fromEntries(Object.entries(failure.params).map(([k, v]) => [k, typeof v === 'string' ? escapeMarkdown(v) : v]));
      return { markdown: translate(language, 'webexbot.failed', { reason: translate(language, failure.key, params) }) };
    }
  }
}
