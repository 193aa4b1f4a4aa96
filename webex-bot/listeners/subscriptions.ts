import { healthLabel, type Subscription } from '../../core';
import { subscriptionsCard, type BotReply } from '../cards';
import { digestStatus } from '../digest-commands';
import type { WebexCommandRouter } from './router';
import { describe, text, type SpaceDeps, type SpaceTurn } from './space';

/**
 * `subscriptions` / `abonnementen`, and the "Show list" button of a confirmation: what the space
 * follows, each with its health and an Unsubscribe button, and the space's digest schedule.
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('subscriptions', (turn) => list(turn, deps));
  router.spaceAction('subscriptions', (turn) => list(turn, deps));
}

async function list({ actor, who, language, t }: SpaceTurn, deps: SpaceDeps): Promise<BotReply> {
  const roomId = who.roomId;
  const list = await deps.subscriptions.list(actor, roomId);
  if (list.length === 0) return text(t('webexbot.none'));
  const { health } = deps;
  const states = new Map((health ? await health.health(roomId) : []).map((h) => [h.subscriptionId, h]));
  // "— working, last change 2026-12-01 09:12 UTC": what the space needs to see a silent stop.
  const state = (s: Subscription, markdown = true): string => {
    const h = states.get(s.id);
    if (!h || !health) return '';
    const label = healthLabel(h, language, health.healthPolicy);
    const last = h.lastEventAt ? t('health.lastEvent', { when: `${h.lastEventAt.slice(0, 16).replace('T', ' ')} UTC` }) : t('health.noEvent');
    return ` — ${markdown && h.problem ? `**${label}**` : label}, ${last}`;
  };
  const digest = deps.digests ? digestStatus(await deps.digests.get(roomId), language, t) : '';
  return {
    markdown: t('webexbot.list', { items: list.map((s, i) => `${i + 1}. ${describe(s, t, true, language)}${state(s)}`).join('\n') }) + (digest ? `\n\n${digest}` : ''),
    card: subscriptionsCard(language, list.map((s, i) => ({ n: i + 1, subscriptionId: s.id, text: `${describe(s, t, false, language)}${state(s, false)}` }))),
  };
}
