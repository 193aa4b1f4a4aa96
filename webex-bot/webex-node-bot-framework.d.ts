// Types for the parts of webex-node-bot-framework 2.3 (and the `webex` SDK 2.x under it) that
// webex-bot/ uses; neither package ships any. Written against lib/framework.js, lib/bot.js,
// lib/webhook.js and lib/process-event.js of webex-node-bot-framework 2.3.14, and
// webex/dist/webex.js 2.4.2. Only what we call is declared, so a framework upgrade that changes
// one of these shows up here.

declare module 'webex-node-bot-framework' {
  import { EventEmitter } from 'node:events';

  namespace Framework {
    interface Options {
      /** The bot's access token. */
      token: string;
      /** Where Webex POSTs events; without it the framework opens a websocket (device registration) instead. */
      webhookUrl?: string;
      /** Set on the webhooks the framework registers; it then checks X-Spark-Signature over JSON.stringify(body). */
      webhookSecret?: string;
      /** Default true: delete EVERY webhook of the token at start. False: only those this framework made (same name). */
      removeWebhooksOnStart?: boolean;
      /** 0: spawn no bots at start; each space's bot is spawned when the first event from it arrives. */
      maxStartupSpaces?: number;
      /** Default for bot.say() with a string: text, markdown or html. */
      messageFormat?: 'text' | 'markdown' | 'html';
      /** The request property that holds the parsed JSON body (default `body`). */
      webhookRequestJSONLocation?: string;
    }

    /** A Webex message, as GET /messages/{id} returns it. */
    interface Message {
      id: string;
      roomId: string;
      roomType?: string;
      /** Set on a reply in a thread: the thread's first message. */
      parentId?: string;
      text?: string;
      markdown?: string;
      personId: string;
      personEmail: string;
      mentionedPeople?: string[];
      created: string;
    }

    /** GET /attachment/actions/{id}: a button pressed on a card. */
    interface AttachmentAction {
      id: string;
      type: string;
      messageId: string;
      inputs: Record<string, unknown>;
      personId: string;
      roomId: string;
      created: string;
    }

    interface Person {
      id: string;
      emails: string[];
      displayName: string;
      type?: string;
      /** The person's organisation (GET /people/{id}, Person.orgId). */
      orgId?: string;
    }

    /** What made the framework call a `hears` handler or emit `attachmentAction`. */
    interface Trigger {
      type: 'message' | 'attachmentAction';
      id: string;
      /** The message text with whitespace collapsed (includes the mention's display name in group spaces). */
      text?: string;
      args: string[];
      phrase?: string | RegExp;
      message?: Message;
      attachmentAction?: AttachmentAction;
      person: Person;
      personId: string;
    }

    interface Room {
      id: string;
      title: string;
      type: 'group' | 'direct';
      isLocked?: boolean;
    }

    /** One per space the bot is in ("spawned"). */
    interface Bot {
      id: string;
      active: boolean;
      room: Room;
      isDirect: boolean;
      isGroup: boolean;
      isLocked: boolean;
      /** With an object: POST /messages with it as the body (roomId set to this space). */
      say(message: { text?: string; markdown?: string; parentId?: string; attachments?: { contentType: string; content: unknown }[] }): Promise<Message>;
      say(format: 'text' | 'markdown', message: string): Promise<Message>;
    }

    /** The webex SDK instance the framework made (only what we read). */
    interface WebexSdk {
      config: { services?: { discovery?: Record<string, string> } };
    }
  }

  class Framework extends EventEmitter {
    constructor(options: Framework.Options);
    readonly options: Framework.Options;
    /** True once start() has run (events before that are dropped). */
    readonly active: boolean;
    readonly initialized: boolean;
    readonly person: Framework.Person;
    readonly email: string;
    /** The firehose webhook it registered; false when that failed; `{}` until it is done. */
    readonly webhook: { id?: string; name?: string } | false;
    readonly cardsWebhook: { id?: string; name?: string } | false;
    readonly bots: Framework.Bot[];
    /** Who the token is, then its webhooks (asynchronously, not awaited by this promise). */
    start(): Promise<boolean>;
    stop(): Promise<boolean>;
    /** Calls `action` for a message matching `phrase`; among several matches only the lowest `preference` run. */
    hears(phrase: string | RegExp, action: (bot: Framework.Bot, trigger: Framework.Trigger, id: string) => void, helpText?: string, preference?: number): string;
    getWebexSDK(): Framework.WebexSdk;
    on(event: 'spawn', listener: (bot: Framework.Bot, id: string, addedBy?: string) => void): this;
    on(event: 'despawn', listener: (bot: Framework.Bot, id: string, removedBy?: string) => void): this;
    on(event: 'attachmentAction', listener: (bot: Framework.Bot, trigger: Framework.Trigger, id: string) => void): this;
    on(event: 'initialized' | 'stop', listener: (id: string) => void): this;
    on(event: 'log', listener: (message: string) => void): this;
  }

  export = Framework;
}

declare module 'webex-node-bot-framework/webhook' {
  import type Framework from 'webex-node-bot-framework';

  /**
   * The framework's handler for one webhook POST: with `res`, answers 200 'OK' itself; then checks
   * the signature (when the framework has a webhookSecret) and processes the event.
   */
  function webhook(framework: Framework): (req: { body: unknown; headers: Record<string, string | undefined> }, res?: never) => Promise<unknown>;
  export = webhook;
}

declare module 'webex' {
  /** The SDK's constructor; `init` merges `attrs.config` over its defaults. */
  const Webex: {
    init(attrs: { config?: Record<string, unknown>; credentials?: unknown }): unknown;
  };
  export = Webex;
}
