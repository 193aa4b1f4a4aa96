import { languageOf, translate } from '../../i18n';
import { escapeMarkdown } from '../markdown';
import type { RenderedNotification } from '../render';

/**
 * Adds "N restricted changes not shown" to what a message carries, or is the whole message when
 * every change it carries was withheld. Counted, never described: the count is all a space
 * without the administrator's permission learns (issue 15, "Permission-safe").
 */
export function withWithheld(rendered: RenderedNotification | undefined, withheld: number, locale: string, marker?: string): RenderedNotification {
  if (withheld === 0 && rendered) return rendered;
  const lang = languageOf(locale);
  const line = withheld === 1 ? translate(lang, 'notify.withheldOne') : translate(lang, 'notify.withheldMany', { count: withheld });
  if (rendered) {
    return {
      markdown: `${rendered.markdown}\n- _${escapeMarkdown(line)}_`,
      text: `${rendered.text}\n- ${line}`,
      card: { ...rendered.card, body: [...rendered.card.body, { type: 'TextBlock', text: escapeMarkdown(line), wrap: true, isSubtle: true, spacing: 'Small' }] },
    };
  }
  const hint = translate(lang, 'notify.withheldHint');
  return {
    markdown: `**${escapeMarkdown(line)}**\n${escapeMarkdown(hint)}`,
    text: `${line}\n${hint}`,
    card: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body: [
        // The marker lets a delivery in doubt find this message, as with any other (webex-delivery.ts).
        { type: 'TextBlock', ...(marker ? { id: `een-delivery-${marker}` } : {}), text: escapeMarkdown(line), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: escapeMarkdown(hint), wrap: true, isSubtle: true },
      ],
    },
  };
}
