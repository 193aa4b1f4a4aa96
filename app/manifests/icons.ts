import { encodePng, type Image } from './png';

type Rgba = [number, number, number, number];

/**
 * The app's mark: a bridge (an arch on two piers) over a deck, een-bridge's name drawn.
 * Shapes are tested per pixel with 4×4 supersampling, so edges are smooth at 32 px too.
 */
function inMark(x: number, y: number): boolean {
  // Unit square coordinates, origin top-left.
  const archCx = 0.5, archCy = 0.62, outer = 0.36, inner = 0.26;
  const d = Math.hypot(x - archCx, y - archCy);
  const arch = y <= archCy && d <= outer && d >= inner;
  const deck = y >= 0.6 && y <= 0.7 && x >= 0.1 && x <= 0.9;
  const piers = y >= archCy && y <= 0.82 && ((x >= 0.14 && x <= 0.24) || (x >= 0.76 && x <= 0.86));
  return arch || deck || piers;
}

function draw(size: number, background: Rgba | undefined, ink: Rgba, radius: number): Image {
  const rgba = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let markHits = 0;
      let tileHits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (inMark(x, y)) markHits++;
          const cx = Math.min(Math.max(x, radius), 1 - radius);
          const cy = Math.min(Math.max(y, radius), 1 - radius);
          if (Math.hypot(x - cx, y - cy) <= radius) tileHits++;
        }
      }
      const mark = markHits / samples ** 2;
      const tile = background ? tileHits / samples ** 2 : 0;
      const i = (py * size + px) * 4;
      const bg = background ?? [0, 0, 0, 0];
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(ink[c]! * mark + bg[c]! * (1 - mark));
      rgba[i + 3] = Math.round(255 * Math.max(mark * (ink[3] / 255), tile));
    }
  }
  return { width: size, height: size, rgba };
}

/** 192×192 full colour (Teams: the tile in the app store and app bar). */
export function colourIcon(): Buffer {
  return encodePng(draw(192, [0, 130, 72, 255], [255, 255, 255, 255], 0.18));
}

/** 32×32 white on transparent (Teams requires the outline icon to be exactly that). */
export function outlineIcon(): Buffer {
  return encodePng(draw(32, undefined, [255, 255, 255, 255], 0));
}
