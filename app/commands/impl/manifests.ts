import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildManifests, ManifestError } from '../../manifests/build-manifests';
import { UsageError, type CommandContext } from '../command';

/** `een-bridge manifests` (metadata and help: app/commands/manifests.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw new UsageError(`unexpected argument "${ctx.args[0]}"`);
  const config = ctx.config();
  const flag = (name: string) => (typeof ctx.flags[name] === 'string' ? (ctx.flags[name] as string) : undefined);
  const publicUrl = flag('public-url') ?? config.publicUrl;
  if (!publicUrl) throw new UsageError('needs --public-url (or EEN_PUBLIC_URL): the https address Teams and Slack reach een-bridge on');
  const appId = flag('app-id') ?? config.systems.teams.settings.MICROSOFT_APP_ID;
  if (!appId) throw new UsageError("needs --app-id (or MICROSOFT_APP_ID): the bot's Microsoft Entra application id");
  const out = path.resolve(ctx.io.cwd, flag('out') ?? 'dist/manifests');
  try {
    const built = await buildManifests({
      publicUrl,
      appId,
      version: flag('app-version') ?? '1.0.0',
      developerName: flag('developer') ?? 'KPN EEN partner',
    });
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'teams-app.zip'), built.teamsZip);
    writeFileSync(path.join(out, 'teams-manifest.json'), JSON.stringify(built.teamsManifest, null, 2) + '\n');
    writeFileSync(path.join(out, 'slack-app-manifest.yaml'), built.slackManifestYaml);
  } catch (err) {
    if (err instanceof ManifestError) {
      ctx.io.err(`een-bridge manifests: ${err.message}`);
      return 1;
    }
    throw err;
  }
  ctx.io.out(`Teams app package (schema v1.22, valid): ${path.join(out, 'teams-app.zip')}`);
  ctx.io.out(`Teams manifest for review:              ${path.join(out, 'teams-manifest.json')}`);
  ctx.io.out(`Slack app manifest:                     ${path.join(out, 'slack-app-manifest.yaml')}`);
  return 0;
}
