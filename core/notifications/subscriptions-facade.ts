import type { Actor } from '../actor';
import { DEFAULT_LOCALE } from '../i18n';
import { forgetTrelloBoard, startFollowing, type FollowingDeps } from './following';
import type { FollowRequest } from './follow-requests';
import type { SourceName } from './source-event';
import type { SourceToFollow, SpaceAccess, WebexActor } from './space-access';
import { subscriptionFilter, type DeliverySettings, type Subscription, type SubscriptionRepository } from './subscriptions';
import type { WebexMessages } from './webex-messages';

/** The spaces subscriptions are made for, as the rules need them (Webex, or its emulator). */
export interface SpacesPort {
  /** Whether the bot is in the space: a space it is not in would never receive anything. Undefined when it cannot tell. */
  botIsIn(spaceId: string): Promise<boolean | undefined>;
  /** The moderator rule (DESIGN.md): in a moderated space only its moderators manage its subscriptions. */
  mayManage(spaceId: string, personId: string): Promise<boolean>;
}

/**
 * The moderator rule over Webex: a space that is not locked lets every member manage it; a
 * locked (moderated) one only its moderators (Webex Rooms API `isLocked`, Memberships API
 * `isModerator`; webex/webex-openapi-specs public-spec/webex-messaging.json).
 */
export function webexSpaces(webex: Pick<WebexMessages, 'room' | 'membership'>): SpacesPort {
  return {
    async botIsIn(spaceId) {
      return webex.room(spaceId).then(
        () => true,
        () => undefined,
      );
    },
    async mayManage(spaceId, personId) {
      const room = await webex.room(spaceId);
      if (!room.isLocked) return true;
      return (await webex.membership(spaceId, personId))?.isModerator === true;
    },
  };
}

export interface SubscriptionsDeps {
  repository: SubscriptionRepository;
  /** The authorisation rules: served organisations, the allow-list, follow requests, writer grants. */
  access: Pick<SpaceAccess, 'serves' | 'follow' | 'mayWrite'>;
  spaces: SpacesPort;
  /**
   * The clients that register a source's hooks (Graph subscription, Trello webhook) and tell
   * spaces a board is gone. Absent at the command line, which holds none of them: its rows wait
   * for the service to register hooks (app/commands/subscriptions.ts says so).
   */
  following?: Omit<FollowingDeps, 'subscriptions'> | undefined;
}

/** Which of a space's subscriptions: its number in the space's list (as the bot shows it), or its id. */
export type WhichSubscription = { number: number } | { id: number };

export type SubscribeOutcome<R> =
  | { outcome: 'notServed' }
  | { outcome: 'moderatorsOnly' }
  | { outcome: 'unknownSpace' }
  /** The finder said why it found nothing (a malformed board link, Graph off…). */
  | { outcome: 'notFound'; reason: R }
  | { outcome: 'requested'; request: FollowRequest; isNew: boolean; wanted: SourceToFollow }
  /** Trello says the board is gone: every space stopped following it. */
  | { outcome: 'gone'; wanted: SourceToFollow }
  /** `replaced`: what the space followed before under the same source and key (its filter and locale are replaced). */
  | { outcome: 'subscribed'; subscription: Subscription; replaced: Subscription | undefined; wanted: SourceToFollow };

export type ChangeOutcome = { outcome: 'notServed' } | { outcome: 'moderatorsOnly' } | { outcome: 'noSuch' } | { outcome: 'done'; subscription: Subscription };

/**
 * The Subscriptions use cases (issue 14): subscribe, unsubscribe, list, configure and forget a
 * source, with the authorisation rules (SpaceAccess) and the moderator rule behind ports, for
 * every surface and the CLI alike. An operator at the command line (Actor `cli`) manages any
 * space the bot is in; the allow-list and moderators are for people in spaces.
 */
export class Subscriptions {
  constructor(private readonly deps: SubscriptionsDeps) {}

  /** Whether een-bridge serves this person at all (an operator always). */
  async serves(actor: Actor, spaceId: string, command: string): Promise<boolean> {
    const person = webexActorOf(actor, spaceId);
    return person === undefined || this.deps.access.serves(person, command);
  }

  /** The space's subscriptions in the order the bot numbers them; every space's for an operator without a space. */
  async list(actor: Actor, spaceId: string | undefined): Promise<Subscription[]> {
    if (spaceId === undefined) {
      if (actor.who.platform.system !== 'cli') throw new RangeError('only an operator lists every space');
      return this.deps.repository.all();
    }
    return this.deps.repository.forSpace(spaceId);
  }

  /** The moderator rule, asked first so a refused person causes no lookups. */
  async mayManage(actor: Actor, spaceId: string): Promise<boolean> {
    const person = webexActorOf(actor, spaceId);
    return person === undefined || this.deps.spaces.mayManage(spaceId, person.personId);
  }

  /**
   * Lets a space follow a source: the moderator rule, then `find` (which looks the source up
   * where it lives), then the allow-list (a request for an administrator otherwise), then the
   * row and the source's hooks. A space the bot is not in is refused.
   */
  async subscribe<R>(actor: Actor, spaceId: string, find: () => Promise<{ wanted: SourceToFollow } | { notFound: R }>): Promise<SubscribeOutcome<R>> {
    const person = webexActorOf(actor, spaceId);
    if (person && !(await this.deps.spaces.mayManage(spaceId, person.personId))) return { outcome: 'moderatorsOnly' };
    if (!person && (await this.deps.spaces.botIsIn(spaceId)) === false) return { outcome: 'unknownSpace' };
    const found = await find();
    if ('notFound' in found) return { outcome: 'notFound', reason: found.notFound };
    const sourceKey = found.wanted.source === 'jira' ? found.wanted.sourceKey.toUpperCase() : found.wanted.sourceKey;
    const replaced = (await this.deps.repository.forSpace(spaceId)).find((s) => s.source === found.wanted.source && s.sourceKey === sourceKey);
    // No locale given (the CLI without --locale): the space keeps the language it has.
    const locale = found.wanted.locale || replaced?.locale || DEFAULT_LOCALE;
    const wanted = { ...found.wanted, sourceKey, locale, filter: subscriptionFilter.parse(found.wanted.filter) };
    if (person) {
      const decision = await this.deps.access.follow(person, wanted);
      if (decision.outcome === 'requested') return { outcome: 'requested', request: decision.request, isNew: decision.isNew, wanted };
    }
    const createdBy = person?.email ?? operatorName(actor);
    const following = this.deps.following;
    const made = following
      ? await startFollowing({ ...following, subscriptions: this.deps.repository }, spaceId, createdBy, wanted, spaceId)
      : await this.deps.repository.subscribe({ spaceId, source: wanted.source, sourceKey: wanted.sourceKey, filter: wanted.filter, locale: wanted.locale, createdBy });
    if (!made) return { outcome: 'gone', wanted };
    return { outcome: 'subscribed', subscription: made, replaced, wanted };
  }

  /** Stops one of the space's subscriptions (moderator rule). */
  async unsubscribe(actor: Actor, spaceId: string, which: WhichSubscription): Promise<ChangeOutcome> {
    if (!(await this.mayManage(actor, spaceId))) return { outcome: 'moderatorsOnly' };
    const target = await this.find(spaceId, which);
    // Pressed twice, or on an old card: the row is gone by the time it is deleted.
    if (!target || !(await this.deps.repository.unsubscribe(spaceId, target.id))) return { outcome: 'noSuch' };
    return { outcome: 'done', subscription: target };
  }

  /** Changes how one subscription's changes are written (moderator rule); the subscription as it is now. */
  async configure(actor: Actor, spaceId: string, which: WhichSubscription, settings: Partial<DeliverySettings>): Promise<ChangeOutcome> {
    if (!(await this.mayManage(actor, spaceId))) return { outcome: 'moderatorsOnly' };
    const target = await this.find(spaceId, which);
    if (!target || !(await this.deps.repository.configure(spaceId, target.id, settings))) return { outcome: 'noSuch' };
    return { outcome: 'done', subscription: (await this.find(spaceId, { id: target.id })) ?? { ...target, ...settings } };
  }

  /** Sets or clears one subscription's filter expression (moderator rule); whether it was there. */
  async setFilterExpression(actor: Actor, spaceId: string, id: number, expression: string | null, subscriber: string | null): Promise<boolean> {
    if (!(await this.mayManage(actor, spaceId))) return false;
    return this.deps.repository.setFilterExpression(spaceId, id, expression, subscriber);
  }

  /**
   * Subscribes the space of a request an administrator approved (`een-bridge sources approve`),
   * with the source's hooks; undefined when Trello says the board is gone.
   */
  async followApproved(request: FollowRequest): Promise<Subscription | undefined> {
    const following = this.deps.following;
    if (!following) throw new RangeError("an approved request is followed by the service, which holds the sources' clients");
    return startFollowing({ ...following, subscriptions: this.deps.repository }, request.spaceId, request.requestedBy, request, request.spaceId);
  }

  /**
   * A source that is gone (Trello answers 404 or 410 for a board): every space stops following
   * it and each but `except` is told once. The spaces told.
   */
  async forgetSource(source: SourceName, sourceKey: string, except?: string): Promise<string[]> {
    const following = this.deps.following;
    if (source !== 'trello' || !following) throw new RangeError(`forgetting a ${source} source needs the service's clients`);
    return forgetTrelloBoard(sourceKey, { ...following, subscriptions: this.deps.repository }, except);
  }

  /** The bot left the space (or was removed): it can no longer post there, so the space follows nothing. How many stopped. */
  async botLeft(spaceId: string): Promise<number> {
    let stopped = 0;
    for (const s of await this.deps.repository.forSpace(spaceId)) if (await this.deps.repository.unsubscribe(spaceId, s.id)) stopped += 1;
    return stopped;
  }

  /** The writer grant: may this person write (create a Trello card) from this space? */
  async mayWrite(actor: Actor, spaceId: string, what: string): Promise<boolean> {
    const person = webexActorOf(actor, spaceId);
    return person === undefined || this.deps.access.mayWrite(person, what);
  }

  private async find(spaceId: string, which: WhichSubscription): Promise<Subscription | undefined> {
    const list = await this.deps.repository.forSpace(spaceId);
    return 'number' in which ? list[which.number - 1] : list.find((s) => s.id === which.id);
  }
}

/** The person as the authorisation rules know them; undefined for an operator. */
function webexActorOf(actor: Actor, spaceId: string): WebexActor | undefined {
  const p = actor.who.platform;
  if (p.system === 'cli') return undefined;
  if (p.system !== 'webex') throw new RangeError(`subscriptions are managed from a Webex space, not from ${p.system}`);
  return { personId: p.personId, email: actor.who.email ?? '', orgId: p.orgId, spaceId };
}

function operatorName(actor: Actor): string {
  return actor.who.platform.system === 'cli' ? 'cli' : (actor.who.email ?? 'unknown');
}
