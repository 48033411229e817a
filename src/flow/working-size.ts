// The working resolution of the flow view's measurement, chosen from the sampled frames rather
// than taken as the model's input size.
//
// Lucas–Kanade follows, at each pyramid level, a motion of about one window radius; the pyramid
// (default 4 levels) multiplies that by 8, i.e. about 30 px per frame pair at the finest level.
// Ordinary footage pans by a fixed share of the frame per pair, so on large frames the motion in
// pixels outgrows the pyramid while the cost grows with the pixel count. Frames larger than
// `targetPixels` are therefore averaged down by the smallest whole factor that brings them under
// it (a box filter: each working pixel is the mean of k × k sampled pixels, the remainder cropped
// evenly from both sides), so the motion per pair stays within the pyramid's reach and the
// measurement keeps the same cost on any size. Frames are never enlarged: the sampled frames
// hold all the detail there is.
//
//   frames RGB [F, H, W, 3] ──k × k box average──▶ [F, ⌊H/k⌋, ⌊W/k⌋, 3]

import type { RgbFrames } from './flow-store';

/** Pixels of the largest working frame (default 160 × 120). */
export const FLOW_WORKING_PIXELS = 160 * 120;

/** Sampled pixels per working pixel: the smallest whole k with ⌊H/k⌋·⌊W/k⌋ ≤ targetPixels. */
export function workingFactor(
  height: number,
  width: number,
  targetPixels = FLOW_WORKING_PIXELS,
): number {
  if (!(targetPixels >= 1))
    throw new Error(`The flow working size must allow at least 1 pixel, got ${targetPixels}.`);
  let k = 1;
  while (Math.floor(height / k) * Math.floor(width / k) > targetPixels) k++;
  return k;
}

/** Frames averaged down by a whole factor k (1: the frames themselves). */
export function downsampleFrames(frames: RgbFrames, k: number): RgbFrames {
  if (!(Number.isInteger(k) && k >= 1))
    throw new Error(`The flow working factor must be a whole number ≥ 1, got ${k}.`);
  if (k === 1) return frames;
  const { numFrames: f, height: h, width: w, data } = frames;
  const hk = Math.floor(h / k);
  const wk = Math.floor(w / k);
  if (hk < 1 || wk < 1) throw new Error(`Frames of ${h}×${w} cannot be averaged down by ${k}.`);
  const oy = Math.floor((h - hk * k) / 2);
  const ox = Math.floor((w - wk * k) / 2);
  const out = new Float32Array(f * hk * wk * 3);
  const norm = 1 / (k * k);
  for (let t = 0; t < f; t++)
    for (let y = 0; y < hk; y++)
      for (let x = 0; x < wk; x++) {
        const o = ((t * hk + y) * wk + x) * 3;
        for (let dy = 0; dy < k; dy++)
          for (let dx = 0; dx < k; dx++) {
            const i = ((t * h + oy + y * k + dy) * w + ox + x * k + dx) * 3;
            out[o] += data[i];
            out[o + 1] += data[i + 1];
            out[o + 2] += data[i + 2];
          }
        out[o] *= norm;
        out[o + 1] *= norm;
        out[o + 2] *= norm;
      }
  return { data: out, numFrames: f, height: hk, width: wk };
}
