import type { TeamsMarkdown } from './markdown';

/**
 * What the Teams app sees of a Bot Framework turn, without the SDK: the handler, the cards
 * and the message extension use these types only, so moving from botbuilder to the
 * Microsoft 365 Agents SDK changes bot-framework.ts alone.
 */
export interface IncomingTurn {
  /** message, invoke, conversationUpdate, … */
  type: string;
  /** For invokes: composeExtension/query, composeExtension/submitAction, … */
  name: string | undefined;
  text: string;
  value: unknown;
  locale: string | undefined;
  /** The bot message a card action came from (Action.Submit). */
  replyToId: string | undefined;
  from: { id: string; aadObjectId: string | undefined; name: string | undefined };
  tenantId: string;
  conversationId: string;
  /** personal, groupChat or channel (Teams conversation.conversationType). */
  conversationType: string | undefined;
  /** The bot's own id in this conversation (activity.recipient). */
  botId: string;
  /** conversationUpdate: ids of the members just added. */
  membersAdded: string[];
}

export type AdaptiveCard = Record<string, unknown>;

export interface OutgoingMessage {
  /** Made by teamsText only (teams-app/markdown.ts), which escapes what it quotes. */
  text?: TeamsMarkdown;
  card?: AdaptiveCard;
}

/**
 * The Teams roster's view of a member: TeamsChannelAccount (botframework-schema
 * src/teams/index.ts: email, userPrincipalName, tenantId, userRole 'user' | 'guest').
 */
export interface RosterMember {
  email: string | undefined;
  userPrincipalName: string | undefined;
  tenantId: string | undefined;
  userRole: string | undefined;
}

/** A member of the conversation, as the paged roster lists them (TeamsChannelAccount). */
export interface ConversationMember extends RosterMember {
  aadObjectId: string | undefined;
  name: string | undefined;
}

/** Updates a message after the turn is over (call status cards). */
export type LaterUpdate = (activityId: string, message: OutgoingMessage) => Promise<void>;

export interface TurnIo {
  /** Sends a message into the conversation; resolves with its activity id. */
  send(message: OutgoingMessage): Promise<string | undefined>;
  update(activityId: string, message: OutgoingMessage): Promise<void>;
  /** The sender as the Teams roster has them (TeamsInfo.getMember), when Teams gives it. */
  member(): Promise<RosterMember | undefined>;
  /**
   * Everyone in the conversation (TeamsInfo.getPagedMembers: the chat's members, or the team's
   * in a channel), up to `max`; undefined when Teams does not let the bot read them (it is not
   * in that chat: 403 BotNotInConversationRoster).
   */
  members(max: number): Promise<ConversationMember[] | undefined>;
  /** A function that can update messages in this conversation later. */
  later(): LaterUpdate;
}

/** The body and status of an invoke response (message extensions). */
export interface InvokeResult {
  status: number;
  body?: unknown;
}

export interface TurnHandler {
  onTurn(turn: IncomingTurn, io: TurnIo): Promise<InvokeResult | undefined>;
}
