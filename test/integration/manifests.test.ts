import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../app/cli';
import { buildManifests, ManifestError } from '../../app/manifests/build-manifests';
import { colourIcon, outlineIcon } from '../../app/manifests/icons';
import { pngInfo } from '../../app/manifests/png';
import { validateTeamsManifest } from '../../app/manifests/teams-schema';
import { root } from '../helpers/built';
import { startTestService, type TestService } from '../helpers/service';

const appId = '0b5c4d0e-8a57-4c43-9c55-2f4c1b6a9d10';
const params = { publicUrl: 'https://een.example.nl', appId, version: '1.2.3', developerName: 'Voorbeeld BV' };

function io(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, cwd, out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('een-bridge manifests', () => {
  it('writes a Teams package that Microsoft\'s schema accepts, with the ids and URLs filled in', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-manifests-'));
    const run = io(dir, { EEN_DATA_DIR: dir });
    const code = await runCli(['manifests', '--public-url', 'https://een.example.nl/', '--app-id', appId, '--out', 'out'], run.io);
    expect({ code, err: run.err }).toEqual({ code: 0, err: [] });
    const zip = await JSZip.loadAsync(readFileSync(path.join(dir, 'out/teams-app.zip')));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'nl.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown> & {
      bots: { botId: string; scopes: string[] }[];
      staticTabs: { contentUrl?: string }[];
      validDomains: string[];
      webApplicationInfo: { id: string; resource: string };
    };
    expect(validateTeamsManifest(manifest)).toEqual([]);
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0]).toMatchObject({ botId: appId, scopes: ['personal', 'team', 'groupChat'] });
    expect(manifest.staticTabs[0]?.contentUrl).toBe('https://een.example.nl/tab/');
    expect(manifest.validDomains).toEqual(['een.example.nl']);
    expect(manifest.webApplicationInfo).toEqual({ id: appId, resource: `api://een.example.nl/${appId}` });
    expect(JSON.stringify(manifest)).not.toContain('{{');
    const dutch = JSON.parse(await zip.file('nl.json')!.async('string')) as Record<string, string>;
    expect(dutch['bots[0].commandLists[0].commands[0].title']).toBe('bel');

    const slack = parseYaml(readFileSync(path.join(dir, 'out/slack-app-manifest.yaml'), 'utf8')) as {
      features: { slash_commands: { command: string; url: string }[] };
      settings: { interactivity: { request_url: string }; event_subscriptions: { bot_events: string[] } };
      oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
    };
    expect(slack.features.slash_commands).toEqual([expect.objectContaining({ command: '/webex', url: 'https://een.example.nl/slack/events' })]);
    expect(slack.settings.interactivity.request_url).toBe('https://een.example.nl/slack/events');
    expect(slack.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(slack.oauth_config.redirect_urls).toEqual(['https://een.example.nl/slack/oauth_redirect']);
    expect(slack.oauth_config.scopes.bot).toContain('commands');
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships icons of the sizes Teams requires, made by our own generator', () => {
    const colour = readFileSync(path.join(root, 'manifests/teams/color.png'));
    const outline = readFileSync(path.join(root, 'manifests/teams/outline.png'));
    expect(pngInfo(colour)).toEqual({ width: 192, height: 192, colourType: 6 });
    expect(pngInfo(outline)).toEqual({ width: 32, height: 32, colourType: 6 });
    expect(colour.equals(colourIcon())).toBe(true);
    expect(outline.equals(outlineIcon())).toBe(true);
  });

  it.each([
    [{ publicUrl: 'http://een.example.nl' }, /must use https/],
    [{ publicUrl: 'https://een.example.nl/bridge' }, /no path/],
    [{ appId: 'my-bot' }, /not a GUID/],
    [{ version: 'v1' }, /major.minor.patch/],
  ])('refuses %p', async (override, problem) => {
    await expect(buildManifests({ ...params, ...override })).rejects.toThrow(problem);
  });

  it('fails when a template breaks Microsoft\'s schema, naming the field', async () => {
    const templates = mkdtempSync(path.join(os.tmpdir(), 'een-templates-'));
    cpSync(path.join(root, 'manifests'), templates, { recursive: true });
    const file = path.join(templates, 'teams/manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...manifest, accentColor: 'green', botz: [] }));
    const failure = await buildManifests(params, templates).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ManifestError);
    const problems = (failure as ManifestError).problems.join('\n');
    expect(problems).toMatch(/accentColor/);
    expect(problems).toMatch(/botz/);
    rmSync(templates, { recursive: true, force: true });
  });

  it('exits 2 with usage when the public URL or app id is missing, writing nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-manifests-'));
    const noUrl = io(dir, { EEN_DATA_DIR: dir });
    expect(await runCli(['manifests', '--app-id', appId, '--out', 'out'], noUrl.io)).toBe(2);
    expect(noUrl.err.join('\n')).toMatch(/--public-url/);
    const noId = io(dir, { EEN_DATA_DIR: dir });
    expect(await runCli(['manifests', '--public-url', 'https://een.example.nl', '--out', 'out'], noId.io)).toBe(2);
    expect(noId.err.join('\n')).toMatch(/--app-id/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    const bad = io(dir, { EEN_DATA_DIR: dir });
    expect(await runCli(['manifests', '--public-url', 'http://x', '--app-id', appId, '--out', 'out'], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/https/);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the pages the Teams manifest links to', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service?.dispose();
  });

  it('are served by een-bridge itself: about, privacy and terms, in English and Dutch', async () => {
    const built = await buildManifests(params);
    const developer = built.teamsManifest.developer as { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
    expect(developer).toEqual({ name: 'Voorbeeld BV', websiteUrl: 'https://een.example.nl/about', privacyUrl: 'https://een.example.nl/privacy', termsOfUseUrl: 'https://een.example.nl/terms' });
    const titles: Record<string, [string, string]> = { websiteUrl: ['About een-bridge', 'Over een-bridge'], privacyUrl: ['Privacy', 'Privacy'], termsOfUseUrl: ['Terms of use', 'Gebruiksvoorwaarden'] };
    for (const [field, [en, nl]] of Object.entries(titles)) {
      // The same path on the running service (the manifest's host is the public URL in front of it).
      const local = `${service.url}${new URL(developer[field as keyof typeof developer]).pathname}`;
      for (const [lang, title] of [['en', en], ['nl', nl]] as const) {
        const res = await fetch(local, { headers: { 'accept-language': lang } });
        expect({ field, status: res.status, type: res.headers.get('content-type') }).toEqual({ field, status: 200, type: 'text/html; charset=utf-8' });
        const html = await res.text();
        expect(html).toContain(`<html lang="${lang}">`);
        expect(html).toContain(`<h1>${title}</h1>`);
      }
    }
  });
});
