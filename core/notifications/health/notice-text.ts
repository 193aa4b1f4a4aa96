import { languageOf, translate, type Language } from '../../i18n';
import type { MessageKey } from '../../i18n/catalogue';
import { escapeMarkdown } from '../markdown';
import type { SourceName } from '../source-event';
import type { HealthPolicy, SubscriptionHealth } from './assess';

const sourceLabel: Record<SourceName, MessageKey> = { jira: 'webexbot.source.jira', trello: 'webexbot.source.trello', graph: 'webexbot.source.graph' };

const DAY = 86_400_000;

/** What a space is told when its subscription breaks, in its language, with what to do. */
export function healthNoticeText(h: SubscriptionHealth, n: number, locale: string, policy: HealthPolicy): { markdown: string; text: string } {
  const lang: Language = languageOf(locale);
  const problem = h.problem ?? 'silent';
  const params = {
    what: translate(lang, sourceLabel[h.source]),
    key: h.sourceKey,
    n,
    count: problem === 'deadLetters' ? h.dead : h.upstreamFailures,
    days: Math.round(policy.quietMs[h.source] / DAY),
  };
  const key = `health.notice.${problem}` as const;
  const markdown = translate(lang, key, { ...params, key: escapeMarkdown(h.sourceKey) });
  // The plain-text fallback: the catalogue's own emphasis and code marks dropped, the key as it is.
  return { markdown, text: translate(lang, key, params).replace(/\*\*/g, '').replace(/`/g, '') };
}

/** One short phrase for lists (`subscriptions` in a space, `een-bridge subscriptions list`). */
export function healthLabel(h: SubscriptionHealth, lang: Language, policy: HealthPolicy): string {
  if (!h.problem) return translate(lang, 'health.ok');
  return translate(lang, `health.problem.${h.problem}`, { count: h.dead, days: Math.round(policy.quietMs[h.source] / DAY) });
}
