import type { Command } from './command';

export const manifestsCommand: Command = {
  name: 'manifests',
  summary: 'Write the Teams app package and the Slack app manifest for your public URL.',
  usage: `een-bridge manifests --public-url https://een.example.nl [--out dist/manifests] [--app-id GUID] [--app-version 1.0.0] [--developer NAME]

Fills in manifests/teams (manifest.json, nl.json, icons) and manifests/slack/manifest.yaml,
checks the Teams manifest against Microsoft's JSON schema (v1.22), and writes:
  teams-app.zip            upload in Teams admin center -> Manage apps -> Upload
  teams-manifest.json      the filled-in manifest, for review
  slack-app-manifest.yaml  paste at api.slack.com/apps -> Create New App -> From a manifest
--public-url defaults to EEN_PUBLIC_URL; --app-id to MICROSOFT_APP_ID.`,
  options: {
    'public-url': { type: 'string' },
    out: { type: 'string' },
    'app-id': { type: 'string' },
    'app-version': { type: 'string' },
    developer: { type: 'string' },
  },
  run: async (ctx) => (await import('./impl/manifests')).run(ctx),
};
