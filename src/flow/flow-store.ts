// The worker's one store of optical flow. The flow view, two-stream training and inference all
// ask it for the flow between pairs of frames; each pair is computed once and kept as plain
// numbers (no tensors are held between requests), bounded by bytes, least recently used out
// first.
//
// Entries are keyed by content — a 64-bit hash of each of the pair's two frames, the frame size
// and the flow settings — never by clip id or example index, so every way frames arrive finds
// the same entry: a stored clip in the flow view, the same frames as a training example or an
// inference chunk, a synthetic task's fixed clips, random crops (one entry per distinct pair),
// and the temporal-order tests (a shuffled or reversed clip's pairs are other pairs). A clip
// sampled again is new content: its old entries are not found again and age out.
//
//   frames RGB [F, H, W, 3] in [0, 1], pairs (from, to) ──hash each frame──▶ pair keys
//     stored pairs:  flow [H, W, 2] and confidence [H, W] each, copied out
//     new pairs:     only the frames they touch ──flowAndConfidenceOfFrames (optical-flow.ts),
//                    one batch──▶ [M, H, W, 2] + [M, H, W, 1], read back once, stored
//   ──▶ flow [P, H, W, 2], confidence [P, H, W]
//
// The confidence (the structure tensor's smaller eigenvalue, optical-flow.ts minEigenvalue) says
// how well each pixel's flow is determined; the mean-motion readout weights by it (mean-flow.ts).
// The flow fields themselves stay as Lucas–Kanade gives them.
//
// Two-stream's 'flow' input is a centred window of L consecutive flows per clip (`stacks`).

import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FLOW_CONFIG, flowAndConfidenceOfFrames, type FlowConfig, type FramePairs } from './optical-flow';

/** Frames as the store reads them: RGB in [0, 1], frame-major [F, H, W, 3]. */
export interface RgbFrames {
  data: Float32Array;
  numFrames: number; // F
  height: number; // H
  width: number; // W
}

export interface PairFlows {
  /** [P, H, W, 2]: (dx, dy) in pixels for each pair, such that I1(x + flow(x)) ≈ I0(x). */
  flow: Float32Array;
  /** [P, H, W]: how well each pixel's flow is determined (minEigenvalue of the pair's first frame, intensity² per px²). */
  confidence: Float32Array;
  /** Pairs this call computed (0: every pair was stored already). */
  computed: number;
  /** Time this call spent computing flow, ms (0 when nothing was computed). */
  computeMs: number;
}

export interface FlowStoreStats {
  entries: number;
  bytes: number;
  /** Pairs served from the store, and pairs computed, since it was made. */
  hits: number;
  misses: number;
}

/** Default bound of the worker's store: 256 MiB of flow fields. */
const DEFAULT_FLOW_STORE_BYTES = 256 * 1024 * 1024;

/** Two independent 32-bit hashes (FNV-1a and a multiplicative mix) of `length` floats' bits, as hex. */
export function contentKey(buf: Float32Array, offset: number, length: number): string {
  const bits = new Uint32Array(buf.buffer, buf.byteOffset + offset * 4, length);
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ length;
  for (let i = 0; i < length; i++) {
    const v = bits[i];
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul(b ^ (v >>> 15) ^ (v << 7), 0x85ebca6b) ^ (b >>> 13);
  }
  return `${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
}

function settingsKey(config: Partial<FlowConfig>): string {
  const full: FlowConfig = { ...DEFAULT_FLOW_CONFIG, ...config };
  return (Object.keys(DEFAULT_FLOW_CONFIG) as (keyof FlowConfig)[]).map((k) => `${k}=${full[k]}`).join('&');
}

/** A pair's key: `first>second|size|settings`; the frame keys hold neither '>' nor '|'. */
const frameKeysOf = (pairKey: string): string[] => pairKey.slice(0, pairKey.indexOf('|')).split('>');

/** First flow index of a centred window of L flows among the T − 1 of a clip. */
export function flowWindowStart(numFrames: number, numFlows: number): number {
  return Math.floor((numFrames - 1 - numFlows) / 2);
}

/** One stored pair: its flow [H, W, 2] and confidence [H, W]. */
interface PairEntry {
  flow: Float32Array;
  confidence: Float32Array;
}

const entryBytes = (e: PairEntry): number => e.flow.byteLength + e.confidence.byteLength;

export class FlowStore {
  private readonly entries = new Map<string, PairEntry>(); // insertion order = recency
  /** Pairs being computed by a call still in flight: a second caller waits for them. */
  private readonly pending = new Map<string, Promise<PairEntry>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(readonly maxBytes = DEFAULT_FLOW_STORE_BYTES) {}

  get stats(): FlowStoreStats {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses };
  }

  /** Flow [P, H, W, 2] (and confidence [P, H, W]) from frame from[p] to frame to[p] of `frames`, computing only the pairs not stored yet. */
  async flows(frames: RgbFrames, pairs: FramePairs, config: Partial<FlowConfig> = {}): Promise<PairFlows> {
    const { numFrames: f, height: h, width: w } = frames;
    const per = h * w * 3;
    if (frames.data.length !== f * per) throw new Error(`Flow store: ${frames.data.length} values are not ${f} RGB frames of ${h}×${w}.`);
    if (pairs.from.length !== pairs.to.length) throw new Error(`Flow store: ${pairs.from.length} first frames but ${pairs.to.length} second frames.`);
    const fp = h * w * 2;
    const cp = h * w;
    const frameKeys = new Map<number, string>();
    const keyOf = (i: number): string => {
      if (!(Number.isInteger(i) && i >= 0 && i < f)) throw new Error(`Frame pair index ${i} is not one of the ${f} frames.`);
      let k = frameKeys.get(i);
      if (k === undefined) frameKeys.set(i, (k = contentKey(frames.data, i * per, per)));
      return k;
    };
    const setting = `${h}x${w}|${settingsKey(config)}`;
    const keys = pairs.from.map((a, p) => `${keyOf(a)}>${keyOf(pairs.to[p])}|${setting}`);

    // Stored pairs are copied out now (a later put may evict them); pairs another call is
    // computing are waited for; the rest are computed here, each distinct pair once.
    const out = new Float32Array(keys.length * fp);
    const conf = new Float32Array(keys.length * cp);
    const copyOut = (e: PairEntry, p: number) => {
      out.set(e.flow, p * fp);
      conf.set(e.confidence, p * cp);
    };
    const waits: [number, Promise<PairEntry>][] = [];
    const mine: number[] = [];
    const todo = new Map<string, number>(); // key → the first pair that asks for it
    keys.forEach((k, p) => {
      const stored = this.entries.get(k);
      const inFlight = this.pending.get(k);
      if (stored) {
        this.hits++;
        this.entries.delete(k); // refresh recency
        this.entries.set(k, stored);
        copyOut(stored, p);
      } else if (inFlight) {
        this.hits++;
        waits.push([p, inFlight]);
      } else {
        if (todo.has(k)) this.hits++; // asked twice in this call: computed once
        else todo.set(k, p);
        mine.push(p);
      }
    });
    let computeMs = 0;
    if (todo.size > 0) {
      const t0 = performance.now();
      const firsts = [...todo.values()];
      const job = this.compute(frames, { from: firsts.map((p) => pairs.from[p]), to: firsts.map((p) => pairs.to[p]) }, config);
      const fresh = new Map([...todo.keys()].map((k, m) => [k, job.then((v) => ({ flow: v.flow.slice(m * fp, (m + 1) * fp), confidence: v.confidence.slice(m * cp, (m + 1) * cp) }))] as const));
      for (const [k, one] of fresh) {
        one.catch(() => undefined); // a waiting call sees the error; nobody else needs to
        this.pending.set(k, one);
      }
      try {
        for (const [k, one] of fresh) this.put(k, await one);
        this.misses += todo.size;
      } finally {
        for (const k of todo.keys()) this.pending.delete(k);
      }
      for (const p of mine) copyOut(await fresh.get(keys[p])!, p);
      computeMs = performance.now() - t0;
    }
    for (const [p, v] of waits) copyOut(await v, p);
    return { flow: out, confidence: conf, computed: todo.size, computeMs: Math.round(computeMs) };
  }

  /**
   * Two-stream's 'flow' input: for B clips [B, T, H, W, 3] held in `frames` (F = B·T), a centred
   * window of L consecutive flows per clip → [B, L, H, W, 2].
   */
  async stacks(frames: RgbFrames, numClips: number, numFlows: number, config: Partial<FlowConfig> = {}): Promise<Float32Array> {
    const t = frames.numFrames / numClips;
    if (!Number.isInteger(t)) throw new Error(`Flow store: ${frames.numFrames} frames are not ${numClips} clips of equal length.`);
    if (!(Number.isInteger(numFlows) && numFlows >= 1 && numFlows <= t - 1)) throw new Error(`A clip of ${t} frames has ${t - 1} flows; cannot stack L = ${numFlows}.`);
    const start = flowWindowStart(t, numFlows);
    const from: number[] = [];
    for (let b = 0; b < numClips; b++) for (let l = 0; l < numFlows; l++) from.push(b * t + start + l);
    return (await this.flows(frames, { from, to: from.map((i) => i + 1) }, config)).flow;
  }

  /** Forget every stored pair that has one of these frames (their clip left the worker). Returns the bytes freed. */
  forget(frames: RgbFrames): number {
    const per = frames.height * frames.width * 3;
    const gone = new Set(Array.from({ length: frames.numFrames }, (_, i) => contentKey(frames.data, i * per, per)));
    let freed = 0;
    for (const [k, v] of this.entries)
      if (frameKeysOf(k).some((fk) => gone.has(fk))) {
        this.entries.delete(k);
        freed += entryBytes(v);
      }
    this.bytes -= freed;
    return freed;
  }

  /** Flow [M, H, W, 2] and confidence [M, H, W] of the given pairs, read back in one go. */
  private async compute(frames: RgbFrames, pairs: FramePairs, config: Partial<FlowConfig>): Promise<PairEntry> {
    const { height: h, width: w } = frames;
    const per = h * w * 3;
    // Upload only the frames the pairs touch: [U, H, W, 3].
    const used = [...new Set([...pairs.from, ...pairs.to])];
    const local = new Map(used.map((i, j) => [i, j]));
    const sub = new Float32Array(used.length * per);
    used.forEach((i, j) => sub.set(frames.data.subarray(i * per, (i + 1) * per), j * per));
    const x = tf.tensor4d(sub, [used.length, h, w, 3]);
    let out: { flow: tf.Tensor; confidence: tf.Tensor } | null = null;
    try {
      out = flowAndConfidenceOfFrames(x, config, 1, { from: pairs.from.map((i) => local.get(i)!), to: pairs.to.map((i) => local.get(i)!) }); // [M, H, W, 2], [M, H, W, 1]
      const [flow, confidence] = await Promise.all([out.flow.data(), out.confidence.data()]);
      return { flow: flow as Float32Array, confidence: confidence as Float32Array };
    } finally {
      x.dispose();
      if (out) tf.dispose([out.flow, out.confidence]);
    }
  }

  private put(key: string, v: PairEntry): void {
    this.entries.set(key, v);
    this.bytes += entryBytes(v);
    // Map iterates in insertion order: the first keys are the least recently used.
    const oldest = this.entries.keys();
    while (this.bytes > this.maxBytes && this.entries.size > 1) {
      const k = oldest.next().value as string;
      this.bytes -= entryBytes(this.entries.get(k)!);
      this.entries.delete(k);
    }
  }
}

/** The worker's store: the flow view, training and inference share it. */
export const flowStore = new FlowStore();
