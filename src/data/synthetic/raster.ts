// Plain typed-array rasterisation for the synthetic tasks: no DOM, no canvas, so the same code
// draws clips in Node tests and in the worker. A frame is Float32 RGB in [0, 1], [H, W, 3],
// row-major. Shapes get a one-pixel soft edge from their signed distance, so sub-pixel motion
// shows up as smoothly changing pixels rather than jumps.

export type Rgb = readonly [number, number, number];

export interface FrameView {
  data: Float32Array;
  /** Index of this frame's first value in `data`. */
  offset: number;
  height: number;
  width: number;
}

export function fill(f: FrameView, c: Rgb): void {
  const n = f.height * f.width;
  for (let p = 0; p < n; p++) {
    const i = f.offset + 3 * p;
    f.data[i] = c[0];
    f.data[i + 1] = c[1];
    f.data[i + 2] = c[2];
  }
}

/**
 * Paint a shape given by a signed distance (pixels, negative inside) over a bounding box.
 * Coverage = clamp(0.5 − d, 0, 1): a one-pixel anti-aliased edge.
 */
function paint(f: FrameView, c: Rgb, box: [number, number, number, number], sdf: (x: number, y: number) => number): void {
  const x0 = Math.max(0, Math.floor(box[0] - 1));
  const y0 = Math.max(0, Math.floor(box[1] - 1));
  const x1 = Math.min(f.width - 1, Math.ceil(box[2] + 1));
  const y1 = Math.min(f.height - 1, Math.ceil(box[3] + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const cov = Math.min(1, Math.max(0, 0.5 - sdf(x + 0.5, y + 0.5)));
      if (cov <= 0) continue;
      const i = f.offset + 3 * (y * f.width + x);
      f.data[i] += (c[0] - f.data[i]) * cov;
      f.data[i + 1] += (c[1] - f.data[i + 1]) * cov;
      f.data[i + 2] += (c[2] - f.data[i + 2]) * cov;
    }
  }
}

export function disc(f: FrameView, cx: number, cy: number, r: number, c: Rgb): void {
  paint(f, c, [cx - r, cy - r, cx + r, cy + r], (x, y) => Math.hypot(x - cx, y - cy) - r);
}

/** Axis-aligned square of half-side `s`. */
export function square(f: FrameView, cx: number, cy: number, s: number, c: Rgb): void {
  paint(f, c, [cx - s, cy - s, cx + s, cy + s], (x, y) => Math.max(Math.abs(x - cx), Math.abs(y - cy)) - s);
}

/** A capsule: the segment a→b thickened to half-width `hw` (a bar, an arm, a finger). */
export function capsule(f: FrameView, ax: number, ay: number, bx: number, by: number, hw: number, c: Rgb): void {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy || 1e-9;
  const box: [number, number, number, number] = [Math.min(ax, bx) - hw, Math.min(ay, by) - hw, Math.max(ax, bx) + hw, Math.max(ay, by) + hw];
  paint(f, c, box, (x, y) => {
    const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy) - hw;
  });
}

/** Draw `draw(x, y)` at a position wrapped onto the torus, so objects leaving one side enter the other. */
export function wrapped(f: FrameView, x: number, y: number, reach: number, draw: (x: number, y: number) => void): void {
  const xs = [x];
  const ys = [y];
  if (x - reach < 0) xs.push(x + f.width);
  if (x + reach > f.width) xs.push(x - f.width);
  if (y - reach < 0) ys.push(y + f.height);
  if (y + reach > f.height) ys.push(y - f.height);
  for (const yy of ys) for (const xx of xs) draw(xx, yy);
}

/** Uniform noise in [−amp, amp] on every value, then clamp to [0, 1]. */
export function addNoise(f: FrameView, amp: number, rng: () => number): void {
  const end = f.offset + f.height * f.width * 3;
  for (let i = f.offset; i < end; i++) {
    const v = f.data[i] + (amp > 0 ? (2 * rng() - 1) * amp : 0);
    f.data[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}
