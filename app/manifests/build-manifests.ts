import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { parse as parseYaml } from 'yaml';
import { pngInfo } from './png';
import { projectRoot } from './project-root';
import { validateTeamsLocalization, validateTeamsManifest } from './teams-schema';

export interface ManifestParams {
  /** https URL the apps reach een-bridge on, without a trailing slash. */
  publicUrl: string;
  /** The Microsoft Entra app id of the bot (also the Teams app id and SSO audience). */
  appId: string;
  version: string;
  developerName: string;
}

export interface BuiltManifests {
  teamsManifest: Record<string, unknown>;
  teamsZip: Buffer;
  slackManifestYaml: string;
}

/** A manifest that the official schema or our own checks refuse; each problem on its own line. */
export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`the manifest is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkParams(p: ManifestParams): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(p.publicUrl);
  } catch {
    problems.push(`public URL "${p.publicUrl}" is not a URL`);
  }
  if (url && url.protocol !== 'https:') problems.push('public URL must use https (Teams and Slack call only https endpoints)');
  if (url && (url.pathname !== '/' || url.search || url.hash)) problems.push('public URL must be the service root, with no path, query or fragment');
  if (!guid.test(p.appId)) problems.push(`app id "${p.appId}" is not a GUID (use the bot's Microsoft Entra application id)`);
  if (!/^\d+\.\d+\.\d+$/.test(p.version)) problems.push(`version "${p.version}" must be major.minor.patch`);
  return problems;
}

/** Replaces {{name}} in every string of a parsed template; an unknown name is a problem. */
function fill<T>(value: T, values: Record<string, string>, problems: string[]): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
      if (name in values) return values[name]!;
      problems.push(`template placeholder ${whole} has no value`);
      return whole;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => fill(v, values, problems)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values, problems)])) as T;
  }
  return value;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * Teams: manifest.json + nl.json + icons, filled in and checked against Microsoft's schema,
 * zipped flat as Teams expects. Slack: the app manifest YAML with the public URL filled in.
 */
export async function buildManifests(params: ManifestParams, templates = path.join(projectRoot(), 'manifests')): Promise<BuiltManifests> {
  const problems = checkParams(params);
  if (problems.length > 0) throw new ManifestError(problems);
  const publicUrl = params.publicUrl.replace(/\/+$/, '');
  const values = { ...params, publicUrl, publicHost: new URL(publicUrl).host };

  const teamsManifest = fill(readJson(path.join(templates, 'teams/manifest.json')), values, problems);
  const dutch = fill(readJson(path.join(templates, 'teams/nl.json')), values, problems);
  problems.push(...validateTeamsManifest(teamsManifest).map((p) => `manifest.json ${p}`));
  problems.push(...validateTeamsLocalization(dutch).map((p) => `nl.json ${p}`));

  const colour = readFileSync(path.join(templates, 'teams/color.png'));
  const outline = readFileSync(path.join(templates, 'teams/outline.png'));
  const c = pngInfo(colour);
  const o = pngInfo(outline);
  if (c.width !== 192 || c.height !== 192) problems.push(`color.png must be 192x192, is ${c.width}x${c.height}`);
  if (o.width !== 32 || o.height !== 32) problems.push(`outline.png must be 32x32, is ${o.width}x${o.height}`);
  if (o.colourType !== 6) problems.push('outline.png must have an alpha channel (transparent background)');

  const slackTemplate = readFileSync(path.join(templates, 'slack/manifest.yaml'), 'utf8');
  const slackManifestYaml = fill(slackTemplate, values, problems);
  const slack = parseYaml(slackManifestYaml) as { features?: { slash_commands?: { command?: string; url?: string }[] } };
  if (!slack.features?.slash_commands?.some((c) => c.command === '/webex' && c.url === `${publicUrl}/slack/events`)) {
    problems.push('slack manifest must route /webex to <public URL>/slack/events');
  }
  if (problems.length > 0) throw new ManifestError(problems);

  const zip = new JSZip();
  // A fixed date keeps the zip byte-for-byte reproducible for the same inputs.
  const date = new Date('2026-01-01T00:00:00Z');
  zip.file('manifest.json', JSON.stringify(teamsManifest, null, 2), { date });
  zip.file('nl.json', JSON.stringify(dutch, null, 2), { date });
  zip.file('color.png', colour, { date });
  zip.file('outline.png', outline, { date });
  const teamsZip = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { teamsManifest, teamsZip, slackManifestYaml };
}
