import type { Language } from './i18n';
import type { IdentityHome } from './identity/linking';
import { DEFAULT_TIME_ZONE } from './meetings/schedule-parser';

/** Who acts on a platform: an identity in its home, or an operator at the command line. */
export type PlatformIdentity = IdentityHome | { system: 'cli'; operator: string };

/**
 * The one description of who asks, built once at the edge of each surface (teams-app/actor.ts,
 * slack-app/actor.ts, webex-bot/actor.ts, the CLI) and given to every façade call (issue 14,
 * "One actor and one language rule").
 */
export interface Actor {
  who: {
    /** The core user (users.id); undefined for a person een-bridge does not serve, and for the CLI. */
    userId: string | undefined;
    platform: PlatformIdentity;
    /** The address their platform vouches for, when it gives one (Webex People API `emails`). */
    email?: string | undefined;
  };
  /** Teams tenant id, Slack team id, Webex org id; undefined when the platform said none. */
  organisation: string | undefined;
  /** Chosen by the language rule (core/i18n/language-rule.ts). */
  locale: string;
  language: Language;
  /** IANA zone: the person's own, or Europe/Amsterdam. */
  timeZone: string;
}


/** The operator at the command line: may manage any space, as an administrator. */
export function operatorActor(operator: string): Actor {
  return { who: { userId: undefined, platform: { system: 'cli', operator } }, organisation: undefined, locale: 'en-GB', language: 'en', timeZone: DEFAULT_TIME_ZONE };
}
