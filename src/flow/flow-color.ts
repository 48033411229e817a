// Flow fields as pictures: the colour-wheel code (hue = direction, brightness = magnitude) and
// arrows sampled on a grid for an overlay. Plain arrays in, plain arrays out (no tfjs), so the
// worker and the views share one definition and the legend always matches the images.
//
//   flow [H, W, 2] (dx, dy, px) ──▶ angle = atan2(dy, dx), m = |flow| / maxMagnitude
//                                   ──▶ HSV(hue = angle, S = 1, V = min(1, m)) ──▶ RGBA [H, W, 4]
//
// Image y points down, so hue 0° (red) is motion to the right and 90° (yellow-green) is motion
// down the screen; black is no motion.

/** HSV (h in degrees, s and v in [0, 1]) → RGB bytes. */
export function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const hh = (((h % 360) + 360) % 360) / 60;
  const c = v * s;
  const x = c * (1 - Math.abs((hh % 2) - 1));
  const m = v - c;
  const [r, g, b] = hh < 1 ? [c, x, 0] : hh < 2 ? [x, c, 0] : hh < 3 ? [0, c, x] : hh < 4 ? [0, x, c] : hh < 5 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/** Direction of motion (dx, dy) as a hue in degrees [0, 360). */
export function flowHue(dx: number, dy: number): number {
  const deg = (Math.atan2(dy, dx) * 180) / Math.PI;
  return deg < 0 ? deg + 360 : deg;
}

/** Largest |flow| in a field (any number of [.., 2] vectors). */
export function maxMagnitude(flow: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i + 1 < flow.length; i += 2) m = Math.max(m, Math.hypot(flow[i], flow[i + 1]));
  return m;
}

/**
 * Colour-code flow vectors [.., 2] into RGBA bytes [.., 4]: hue = direction, value = magnitude
 * relative to `scale` (saturating at 1). Pass one `scale` for every frame pair of a clip so
 * their colours compare.
 */
export function flowToRgba(flow: ArrayLike<number>, scale: number = maxMagnitude(flow)): Uint8ClampedArray<ArrayBuffer> {
  if (flow.length % 2 !== 0) throw new Error(`A flow field holds (dx, dy) pairs: got ${flow.length} numbers.`);
  const out = new Uint8ClampedArray((flow.length / 2) * 4);
  const s = scale > 0 ? scale : 1;
  for (let i = 0, j = 0; i < flow.length; i += 2, j += 4) {
    const dx = flow[i];
    const dy = flow[i + 1];
    const [r, g, b] = hsvToRgb(flowHue(dx, dy), 1, Math.min(1, Math.hypot(dx, dy) / s));
    out[j] = r;
    out[j + 1] = g;
    out[j + 2] = b;
    out[j + 3] = 255;
  }
  return out;
}

/**
 * The legend: a size × size RGBA disc where each point shows the colour of the motion from the
 * centre to it (full brightness on the rim = `maxMagnitude`); transparent outside.
 */
export function colorWheel(size: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(size * size * 4);
  const c = (size - 1) / 2;
  const r = size / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const dx = (x - c) / r;
      const dy = (y - c) / r;
      const m = Math.hypot(dx, dy);
      if (m > 1) continue;
      const [red, g, b] = hsvToRgb(flowHue(dx, dy), 1, m);
      out.set([red, g, b, 255], (y * size + x) * 4);
    }
  return out;
}

export interface Arrow {
  /** Centre of the grid cell, in the field's pixel coordinates. */
  x: number;
  y: number;
  /** Mean flow in the cell, in the field's units. */
  dx: number;
  dy: number;
}

/**
 * Arrows for an overlay: the mean flow of each `step` × `step` cell of a field [h, w, 2],
 * dropping cells whose motion is below `minMagnitude` (noise in flat areas).
 */
export function sampleArrows(flow: ArrayLike<number>, height: number, width: number, step: number, minMagnitude = 0): Arrow[] {
  if (flow.length !== height * width * 2) throw new Error(`Flow field of ${height}×${width} needs ${height * width * 2} numbers, got ${flow.length}.`);
  if (!(step >= 1)) throw new Error(`Arrow step must be ≥ 1 pixel, got ${step}.`);
  const arrows: Arrow[] = [];
  for (let y0 = 0; y0 < height; y0 += step)
    for (let x0 = 0; x0 < width; x0 += step) {
      let sx = 0;
      let sy = 0;
      let n = 0;
      for (let y = y0; y < Math.min(height, y0 + step); y++)
        for (let x = x0; x < Math.min(width, x0 + step); x++) {
          sx += flow[(y * width + x) * 2];
          sy += flow[(y * width + x) * 2 + 1];
          n++;
        }
      const dx = sx / n;
      const dy = sy / n;
      if (Math.hypot(dx, dy) < minMagnitude) continue;
      arrows.push({ x: x0 + (Math.min(width, x0 + step) - x0 - 1) / 2, y: y0 + (Math.min(height, y0 + step) - y0 - 1) / 2, dx, dy });
    }
  return arrows;
}

/**
 * Shrink a field [h, w, C] by an integer `factor` with box averaging (values keep their units):
 * [h, w, C] → [⌊h/f⌋, ⌊w/f⌋, C]. Used to send small display copies of flow to the page.
 */
export function downsampleField(field: ArrayLike<number>, height: number, width: number, channels: number, factor: number): { data: Float32Array; height: number; width: number } {
  if (!(Number.isInteger(factor) && factor >= 1)) throw new Error(`Downsample factor must be a whole number ≥ 1, got ${factor}.`);
  if (field.length !== height * width * channels) throw new Error(`Field of ${height}×${width}×${channels} needs ${height * width * channels} numbers, got ${field.length}.`);
  const h = Math.max(1, Math.floor(height / factor));
  const w = Math.max(1, Math.floor(width / factor));
  const fy = Math.min(factor, height);
  const fx = Math.min(factor, width);
  const out = new Float32Array(h * w * channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let dy = 0; dy < fy; dy++) for (let dx = 0; dx < fx; dx++) s += field[((y * fy + dy) * width + x * fx + dx) * channels + c];
        out[(y * w + x) * channels + c] = s / (fx * fy);
      }
  return { data: out, height: h, width: w };
}
