// The two-stream motion input, computed once per example and kept with the frames.
//
// Optical flow is the slowest part of a two-stream step (a pyramid of Lucas–Kanade solves per
// frame pair), and the training set's clips do not change between epochs. The cache is keyed by
// the example's frames themselves (a 64-bit hash of its float data), not by an example index, so
// it is right for every way frames reach the model: fixed synthetic clips (one entry each), random
// temporal crops of your own clips (one entry per distinct crop), the validation set every epoch,
// and the temporal-order tests (shuffled frames hash differently and get their own flow).
//
//   batch frames (CPU) [B, T, H, W, 3] ──hash each clip──▶ hits: stored [L, H, W, 2]
//                                                      └──▶ misses: flowInput on the missing clips
//                                                           only, read back once, stored
//   ──▶ [B, L, H, W, 2] Float32Array for the model's 'flow' input
//
// Values live in CPU memory (no tensors held between steps, so the per-step tensor count stays
// flat), bounded by `maxBytes` with least-recently-used eviction.

import * as tf from '@tensorflow/tfjs';
import { flowInput } from './flow-input';

/** Two independent 32-bit hashes (FNV-1a and a multiplicative mix) of the float bits, as hex. */
export function framesKey(buf: Float32Array, offset: number, length: number): string {
  const bits = new Uint32Array(buf.buffer, buf.byteOffset + offset * 4, length);
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ length;
  for (let i = 0; i < length; i++) {
    const v = bits[i];
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul(b ^ (v >>> 15) ^ (v << 7), 0x85ebca6b) ^ (b >>> 13);
  }
  return `${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}:${length}`;
}

export interface FlowCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
}

export class FlowCache {
  private readonly store = new Map<string, Float32Array>(); // insertion order = recency
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly numFlows: number, // L
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  get stats(): FlowCacheStats {
    return { entries: this.store.size, bytes: this.bytes, hits: this.hits, misses: this.misses };
  }

  /** Flow stacks [B, L, H, W, 2] for B clips [B, T, H, W, 3] held in `frames`. */
  async flows(frames: Float32Array, b: number, t: number, h: number, w: number): Promise<Float32Array> {
    const per = t * h * w * 3;
    const flowPer = this.numFlows * h * w * 2;
    const keys = Array.from({ length: b }, (_, j) => framesKey(frames, j * per, per));
    const missing = [...new Set(keys.filter((k) => !this.store.has(k)))];
    const fresh = new Map<string, Float32Array>();
    if (missing.length > 0) {
      const first = missing.map((k) => keys.indexOf(k));
      const miss = new Float32Array(missing.length * per);
      first.forEach((j, m) => miss.set(frames.subarray(j * per, (j + 1) * per), m * per));
      const x = tf.tensor5d(miss, [missing.length, t, h, w, 3]);
      let flow: tf.Tensor | null = null;
      try {
        flow = flowInput(x, { numFlows: this.numFlows }); // [M, L, H, W, 2]
        const values = (await flow.data()) as Float32Array;
        missing.forEach((k, m) => fresh.set(k, values.slice(m * flowPer, (m + 1) * flowPer)));
      } finally {
        x.dispose();
        flow?.dispose();
      }
    }
    const out = new Float32Array(b * flowPer);
    keys.forEach((k, j) => {
      const stored = this.store.get(k);
      if (stored) {
        this.hits++;
        this.store.delete(k); // refresh recency
        this.store.set(k, stored);
      }
      out.set(stored ?? (fresh.get(k) as Float32Array), j * flowPer);
    });
    this.misses += missing.length;
    for (const [k, v] of fresh) this.put(k, v);
    return out;
  }

  private put(key: string, v: Float32Array): void {
    this.store.set(key, v);
    this.bytes += v.byteLength;
    // Map iterates in insertion order: the first keys are the least recently used.
    const oldest = this.store.keys();
    while (this.bytes > this.maxBytes && this.store.size > 1) {
      const k = oldest.next().value as string;
      this.bytes -= (this.store.get(k) as Float32Array).byteLength;
      this.store.delete(k);
    }
  }
}
