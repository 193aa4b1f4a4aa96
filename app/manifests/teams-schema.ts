import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Microsoft's own JSON schemas for the Teams app manifest, as shipped in the npm package
 * @microsoft/app-manifest (build/json-schemas/teams/v<version>/), so validation needs no network.
 */
export const TEAMS_MANIFEST_VERSION = '1.22';

function schemaFile(name: string): unknown {
  const pkg = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return JSON.parse(readFileSync(path.join(pkg, 'build/json-schemas/teams', `v${TEAMS_MANIFEST_VERSION}`, name), 'utf8'));
}

export type SchemaProblems = string[];

function validator(name: string) {
  // The schemas are draft-04 and use formats such as "uri" and "regex".
  // unicodeRegExp off: the localization schema has patterns (a lone "]") that only non-unicode RegExp accepts.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schemaFile(name) as object);
  return (document: unknown): SchemaProblems =>
    validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
}

let manifestValidator: ((d: unknown) => SchemaProblems) | undefined;
let localizationValidator: ((d: unknown) => SchemaProblems) | undefined;

export function validateTeamsManifest(manifest: unknown): SchemaProblems {
  manifestValidator ??= validator('MicrosoftTeams.schema.json');
  return manifestValidator(manifest);
}

export function validateTeamsLocalization(localization: unknown): SchemaProblems {
  localizationValidator ??= validator('MicrosoftTeams.Localization.schema.json');
  return localizationValidator(localization);
}
