import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/**
 * Screenshot comparison without an image package: Chromium decodes both PNGs (createImageBitmap)
 * and counts the pixels whose colour moved more than `channel` on any of R, G, B, A. Anti-aliasing
 * moves a few pixels a little; a changed look moves many a lot.
 */
export interface Tolerance {
  /** Largest change per colour channel (0-255) that still counts as the same pixel. */
  channel: number;
  /** Largest share of changed pixels (0-1) that still counts as the same picture. */
  share: number;
}

/**
 * The same machine renders the same page to the same pixels (0 changed); a changed word of 14 px
 * text changes about 500 pixels of a 960×720 page (0.07 %), so 0.03 % lets anti-aliasing drift
 * through and stops a changed word, colour or layout.
 */
export const DEFAULT_TOLERANCE: Tolerance = { channel: 40, share: 0.0003 };

export interface Comparison {
  sameSize: boolean;
  width: number;
  height: number;
  changed: number;
  share: number;
  /** The changed pixels in red over a faded copy of the reference, as a PNG; undefined when no pixel changed. */
  diff: Buffer | undefined;
}

export const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';

/**
 * One blank page per browser does every comparison (it keeps no state between them): a context and
 * page of its own for each took a few hundred milliseconds a picture. It closes with the browser.
 */
const comparers = new WeakMap<Browser, Promise<Page>>();

function comparer(browser: Browser): Promise<Page> {
  let page = comparers.get(browser);
  if (!page) {
    page = browser.newContext().then((context) => context.newPage());
    comparers.set(browser, page);
    // A failed start is not kept: the next comparison tries again.
    page.catch(() => comparers.delete(browser));
  }
  return page;
}

/** Compares in a blank page of its own, so the page under test keeps its Content-Security-Policy. */
export async function compareScreenshots(browser: Browser, actual: Buffer, reference: Buffer, tolerance = DEFAULT_TOLERANCE): Promise<Comparison> {
  const page = await comparer(browser);
  // The function runs in Chromium; it is a string because Node's types know no DOM.
  const result = (await page.evaluate(`(async ({ a, b, channel }) => {
    const decode = async (b64) => createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
    const [x, y] = await Promise.all([decode(a), decode(b)]);
    if (x.width !== y.width || x.height !== y.height) return { sameSize: false, width: x.width, height: x.height, changed: x.width * x.height };
    const pixels = (img) => {
      const c = new OffscreenCanvas(img.width, img.height);
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, img.width, img.height);
    };
    const p = pixels(x).data, q = pixels(y).data;
    let changed = 0;
    for (let i = 0; i < p.length; i += 4) {
      if (Math.abs(p[i] - q[i]) > channel || Math.abs(p[i + 1] - q[i + 1]) > channel || Math.abs(p[i + 2] - q[i + 2]) > channel || Math.abs(p[i + 3] - q[i + 3]) > channel) changed++;
    }
    // The diff picture is only for a person looking at a change: none is drawn and encoded (about
    // a third of a comparison under load, measured 2026-12) when no pixel moved.
    if (changed === 0) return { sameSize: true, width: x.width, height: x.height, changed };
    const out = new OffscreenCanvas(x.width, x.height);
    const og = out.getContext('2d');
    const diff = og.createImageData(x.width, x.height);
    const d = diff.data;
    for (let i = 0; i < p.length; i += 4) {
      let moved = false;
      for (let k = 0; k < 4; k++) if (Math.abs(p[i + k] - q[i + k]) > channel) moved = true;
      const grey = (q[i] + q[i + 1] + q[i + 2]) / 3;
      d[i] = moved ? 255 : grey; d[i + 1] = moved ? 0 : grey; d[i + 2] = moved ? 0 : grey; d[i + 3] = moved ? 255 : 64;
    }
    og.putImageData(diff, 0, 0);
    const blob = await out.convertToBlob({ type: 'image/png' });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { sameSize: true, width: x.width, height: x.height, changed, diff: btoa(bin) };
  })(${JSON.stringify({ a: actual.toString('base64'), b: reference.toString('base64'), channel: tolerance.channel })})`)) as {
    sameSize: boolean; width: number; height: number; changed: number; diff?: string;
  };
  return {
    sameSize: result.sameSize,
    width: result.width,
    height: result.height,
    changed: result.changed,
    share: result.changed / Math.max(1, result.width * result.height),
    diff: result.diff ? Buffer.from(result.diff, 'base64') : undefined,
  };
}

/**
 * Checks a screenshot against its committed reference. UPDATE_SCREENSHOTS=1 writes the reference
 * instead; a missing reference fails (it is never created silently). On a mismatch the actual
 * picture and a diff are written to a temporary directory named in the failure.
 */
export async function expectLikeReference(browser: Browser, actual: Buffer, referenceFile: string, tolerance = DEFAULT_TOLERANCE): Promise<void> {
  const update = 'run UPDATE_SCREENSHOTS=1 npx jest test/teams/tab-look.test.ts --maxWorkers=1 to accept the new look, then look at the pictures before committing them';
  if (UPDATE) {
    mkdirSync(path.dirname(referenceFile), { recursive: true });
    writeFileSync(referenceFile, actual);
    return;
  }
  if (!existsSync(referenceFile)) throw new Error(`no reference picture ${referenceFile}: ${update}`);
  const result = await compareScreenshots(browser, actual, readFileSync(referenceFile), tolerance);
  if (result.sameSize && result.share <= tolerance.share) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'een-tab-screenshot-'));
  const name = path.basename(referenceFile, '.png');
  writeFileSync(path.join(dir, `${name}.actual.png`), actual);
  if (result.diff) writeFileSync(path.join(dir, `${name}.diff.png`), result.diff);
  const what = result.sameSize
    ? `${result.changed} pixels (${(result.share * 100).toFixed(2)} %) changed, more than ${(tolerance.share * 100).toFixed(2)} %`
    : `the size changed to ${result.width}×${result.height}`;
  throw new Error(`${path.basename(referenceFile)} does not look like its reference: ${what}. Actual and diff in ${dir}; ${update}`);
}
