import { Counter, type Registry } from 'prom-client';

/** Counted once per breakage, when its space is told (the notice is the event worth alerting on). */
export function brokenSubscriptionsCounter(registry: Registry | undefined): Counter<'source' | 'problem'> {
  const name = 'een_bridge_notification_subscriptions_broken_total';
  const existing = registry?.getSingleMetric(name);
  if (existing) return existing as Counter<'source' | 'problem'>;
  return new Counter({
    name,
    help: 'Subscriptions found broken (source gone, webhook missing, Graph renewal failing, dead letters, silent) and told to their space',
    labelNames: ['source', 'problem'] as const,
    registers: registry ? [registry] : [],
  });
}
