// Optical flow accuracy on synthetic motion with known ground truth (CPU backend).
//
// Images are a smooth analytic texture (a sum of sinusoids at several orientations and
// wavelengths of 9–40 px), evaluated at exactly moved coordinates, so the reference motion has
// no interpolation error. Accuracy is the average endpoint error (EPE) on the interior.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_CONFIG, flowBetween, flowOfFrames, gaussianTaps, pyramidLevels, sampleBilinear, toGray } from './optical-flow';

const SIZE = 96;
const BORDER = 12; // ≥ largest shift + LK window radius at the finest level

/** A seeded smooth texture in [0, 1]: f(x, y). */
function texture(seed: number): (x: number, y: number) => number {
  let s = seed;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const waves = Array.from({ length: 10 }, () => {
    const angle = rand() * Math.PI;
    const wavelength = 9 + rand() * 31;
    return { kx: (Math.cos(angle) * 2 * Math.PI) / wavelength, ky: (Math.sin(angle) * 2 * Math.PI) / wavelength, phase: rand() * 2 * Math.PI, amp: 0.25 + rand() * 0.75 };
  });
  const total = waves.reduce((a, w) => a + w.amp, 0);
  return (x, y) => 0.5 + (0.45 / total) * waves.reduce((a, w) => a + w.amp * Math.sin(w.kx * x + w.ky * y + w.phase), 0);
}

/** Render f at the source points of a motion: I(x) = f(src(x)). */
function render(f: (x: number, y: number) => number, src: (x: number, y: number) => [number, number], size = SIZE): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = f(...src(x, y));
  return out;
}

type Motion = { name: string; inverse: (x: number, y: number) => [number, number]; flow: (x: number, y: number) => [number, number] };

const translate = (dx: number, dy: number): Motion => ({ name: `shift (${dx}, ${dy})`, inverse: (x, y) => [x - dx, y - dy], flow: () => [dx, dy] });
const C = (SIZE - 1) / 2;
const rotate = (deg: number): Motion => {
  const a = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  return {
    name: `rotate ${deg}°`,
    // I1(x) = f(R⁻¹(x − c) + c); a point p moves to R(p − c) + c.
    inverse: (x, y) => [c * (x - C) + s * (y - C) + C, -s * (x - C) + c * (y - C) + C],
    flow: (x, y) => [c * (x - C) - s * (y - C) + C - x, s * (x - C) + c * (y - C) + C - y],
  };
};
const zoom = (scale: number): Motion => ({
  name: `zoom ×${scale}`,
  inverse: (x, y) => [C + (x - C) / scale, C + (y - C) / scale],
  flow: (x, y) => [(scale - 1) * (x - C), (scale - 1) * (y - C)],
});

/** EPE of flows [N, S, S, 2] against motions, per pair, over the interior. */
function endpointErrors(flow: Float32Array, motions: Motion[], size = SIZE, border = BORDER): number[] {
  return motions.map((m, n) => {
    let sum = 0;
    let count = 0;
    for (let y = border; y < size - border; y++)
      for (let x = border; x < size - border; x++) {
        const i = ((n * size + y) * size + x) * 2;
        const [gx, gy] = m.flow(x, y);
        sum += Math.hypot(flow[i] - gx, flow[i + 1] - gy);
        count++;
      }
    return sum / count;
  });
}

function pairs(motions: Motion[], seed = 7): [tf.Tensor4D, tf.Tensor4D] {
  const i0 = new Float32Array(motions.length * SIZE * SIZE);
  const i1 = new Float32Array(motions.length * SIZE * SIZE);
  motions.forEach((m, n) => {
    const f = texture(seed + n);
    i0.set(render(f, (x, y) => [x, y]), n * SIZE * SIZE);
    i1.set(render(f, m.inverse), n * SIZE * SIZE);
  });
  return [tf.tensor4d(i0, [motions.length, SIZE, SIZE, 1]), tf.tensor4d(i1, [motions.length, SIZE, SIZE, 1])];
}

function measure(motions: Motion[]): number[] {
  const [i0, i1] = pairs(motions);
  const flow = flowBetween(i0, i1);
  const data = flow.dataSync() as Float32Array;
  tf.dispose([i0, i1, flow]);
  return endpointErrors(data, motions);
}

describe('pyramidal Lucas–Kanade optical flow', () => {
  it('recovers sub-pixel translations up to 4 px per frame with EPE ≤ 0.3 px', () => {
    const motions = [translate(0.3, -0.7), translate(1.5, 2.25), translate(-3.2, 1.1), translate(3.7, -2.4), translate(-4, 0.6), translate(2.8, 2.8), translate(0, -3.9), translate(-1.35, -3.6)];
    const epe = measure(motions);
    for (const [i, m] of motions.entries()) console.log(`flow EPE ${m.name}: ${epe[i].toFixed(4)} px`);
    const mean = epe.reduce((a, b) => a + b, 0) / epe.length;
    console.log(`flow EPE mean over translations: ${mean.toFixed(4)} px`);
    for (const [i, m] of motions.entries()) expect(epe[i], m.name).toBeLessThanOrEqual(0.3);
  });

  it('reports the error on rotating and zooming patterns', () => {
    const motions = [rotate(2), rotate(-4), zoom(1.03), zoom(0.96)];
    const epe = measure(motions);
    for (const [i, m] of motions.entries()) {
      const maxMotion = Math.max(...[0, SIZE - 1].flatMap((x) => [0, SIZE - 1].map((y) => Math.hypot(...m.flow(x, y)))));
      console.log(`flow EPE ${m.name} (motion up to ${maxMotion.toFixed(2)} px at the corners): ${epe[i].toFixed(4)} px`);
    }
    // Not translations, so not the 0.3 px contract, but a broken estimator would be far off.
    for (const [i, m] of motions.entries()) expect(epe[i], m.name).toBeLessThan(0.5);
  });

  it('gives zero flow for identical frames and flat images', () => {
    const f = texture(3);
    const img = render(f, (x, y) => [x, y]);
    const a = tf.tensor4d(img, [1, SIZE, SIZE, 1]);
    const flat = tf.fill([1, SIZE, SIZE, 1], 0.5) as tf.Tensor4D;
    const same = flowBetween(a, a);
    const none = flowBetween(flat, flat);
    expect(tf.max(tf.abs(same)).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(none)).dataSync()[0]).toBe(0);
    tf.dispose([a, flat, same, none]);
  });

  it('leaks no tensors', () => {
    const [i0, i1] = pairs([translate(1, 1)]);
    const before = tf.memory().numTensors;
    const flow = flowBetween(i0, i1, { levels: 2, iterations: 2 });
    expect(tf.memory().numTensors).toBe(before + 1);
    flow.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([i0, i1]);
  });

  it('flowOfFrames: RGBA bytes [T, H, W, 4] → [T−1, H, W, 2] for a pan', () => {
    const f = texture(11);
    const T = 4;
    const speed = 1.75; // px per frame to the right
    const rgba = new Uint8Array(T * SIZE * SIZE * 4);
    for (let t = 0; t < T; t++) {
      const img = render(f, (x, y) => [x - speed * t, y]);
      for (let i = 0; i < SIZE * SIZE; i++) {
        const v = Math.round(img[i] * 255);
        rgba.set([v, v, v, 255], (t * SIZE * SIZE + i) * 4);
      }
    }
    const before = tf.memory().numTensors;
    const frames = tf.tensor4d(rgba, [T, SIZE, SIZE, 4], 'int32');
    const flow = flowOfFrames(frames, {}, 255);
    expect(flow.shape).toEqual([T - 1, SIZE, SIZE, 2]);
    const epe = endpointErrors(flow.dataSync() as Float32Array, Array.from({ length: T - 1 }, () => translate(speed, 0)));
    console.log(`flow EPE on 8-bit frames, pan ${speed} px/frame: ${epe.map((e) => e.toFixed(4)).join(', ')} px`);
    for (const e of epe) expect(e).toBeLessThanOrEqual(0.3);
    tf.dispose([frames, flow]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('explains bad input', () => {
    const a = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
    const b = tf.zeros([1, 8, 9, 1]) as tf.Tensor4D;
    const rgb = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    expect(() => flowBetween(a, b)).toThrow(/shapes differ/);
    expect(() => flowBetween(rgb, rgb)).toThrow(/grayscale/);
    expect(() => flowBetween(a, a, { iterations: 0 })).toThrow(/iterations/);
    expect(() => flowOfFrames(tf.zeros([1, 8, 8, 3]) as tf.Tensor4D)).toThrow(/at least 2 frames/);
    tf.dispose([a, b, rgb]);
  });

  it('helpers: Gaussian taps sum to 1, pyramid depth respects the coarse size, bilinear sampling is exact on a ramp, luma of gray is gray', () => {
    expect(gaussianTaps(2).length).toBe(9);
    expect(gaussianTaps(1.5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(pyramidLevels(112, 112, DEFAULT_FLOW_CONFIG)).toBe(4);
    expect(pyramidLevels(32, 64, DEFAULT_FLOW_CONFIG)).toBe(2);
    expect(pyramidLevels(8, 8, DEFAULT_FLOW_CONFIG)).toBe(1);
    const ramp = tf.tidy(() => tf.range(0, 20).reshape([1, 4, 5, 1]) as tf.Tensor4D); // value = 5y + x
    const xs = tf.tensor3d([0.25, 3.5, 4, 10], [1, 1, 4]);
    const ys = tf.tensor3d([0, 1.5, 3, -2], [1, 1, 4]);
    const v = sampleBilinear(ramp, xs, ys).dataSync();
    expect(Array.from(v)).toEqual([0.25, 11, 19, 4]); // the last point clamps to (4, 0)
    const gray = toGray(tf.fill([1, 2, 2, 4], 128) as tf.Tensor4D, 255).dataSync();
    for (const g of gray) expect(g).toBeCloseTo(128 / 255, 5);
    tf.dispose([ramp, xs, ys]);
  });
});
