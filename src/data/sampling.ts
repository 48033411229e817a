// Temporal sampling: which frames of a clip become the T frames of a [T, H, W, C] tensor.
//
// Pure index maths (no DOM, no tfjs), shared by the sampling explorer, the page-side frame
// grabber and training. A clip is seen as N frames at a frame rate; a plan lists frame numbers
// (0-based, non-decreasing within a chunk) and the instants the grabber seeks to.
//
//   clip: N frames ──strategy──▶ frameIdx[K][T] ──times──▶ seekS[K·T] ──grabber──▶ [K·T, H, W, 4]
//
// Strategies (TSN / SlowFast / X3D conventions):
//   uniform      T frames every `stride` frames from `start`            (a fixed window)
//   spread       T frames at the centres of T equal segments of the clip (TSN-style "whole clip")
//   random-crop  a window of (T−1)·stride+1 frames at a seeded random start (what training uses)
//   chunks       K windows like `uniform`, evenly spaced over the clip   (multi-chunk averaging)
//   dense        every frame from `start`, up to `denseCap`             (stride 1, T ignored)
// A clip shorter than the window either repeats its last frame or loops back to frame 0
// (`shortClip`); the plan says how many frames were padded so the UI can tell the user.
//
// The worker holds each clip as the frames the page's plan took, and a model reads T of them at
// a time: `readPlan` is the same planSample over those stored frames (see there).

import { deriveSeed, mulberry32, randInt } from '../lib/random';

export const STRATEGIES = ['uniform', 'spread', 'random-crop', 'chunks', 'dense'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const SHORT_CLIP_POLICIES = ['repeat-last', 'loop'] as const;
export type ShortClipPolicy = (typeof SHORT_CLIP_POLICIES)[number];
/** Most chunks K a request may ask for. */
export const MAX_CHUNKS = 16;

/** What sampling needs to know of a clip. */
export interface ClipTiming {
  /** Duration in seconds (> 0). */
  durationS: number;
  /** Frames per second (> 0); estimated where the container does not say. */
  fps: number;
  /** Frame count where known exactly (GIF, parsed containers); else derived from duration × fps. */
  numFrames?: number;
}

export interface SamplingConfig {
  strategy: Strategy;
  /** Frames per chunk, T (≥ 1). Default 8. */
  numFrames: number;
  /** Frame interval s (≥ 1): take every s-th frame. Default 2. Ignored by `spread` and `dense`. */
  stride: number;
  /** Number of chunks K for `chunks` (≥ 1). Default 3. */
  chunks: number;
  /** Seed for `random-crop`. */
  seed: number;
  /** First frame for `uniform` and `dense`. Default 0. */
  start: number;
  /** What to do when the clip is shorter than the window. Default 'repeat-last'. */
  shortClip: ShortClipPolicy;
  /** Most frames `dense` returns. Default 128. */
  denseCap: number;
}

export const DEFAULT_SAMPLING: SamplingConfig = {
  strategy: 'uniform',
  numFrames: 8,
  stride: 2,
  chunks: 3,
  seed: 1,
  start: 0,
  shortClip: 'repeat-last',
  denseCap: 128,
};

export interface SamplePlan {
  /** Frame numbers per chunk: [K][T] (K = 1 except for `chunks`). */
  chunks: number[][];
  /** All frame numbers, chunk after chunk: length K·T. */
  frameIdx: number[];
  /** Presentation time of each frame, seconds (frame i starts at i / fps). */
  timesS: number[];
  /** Where to seek for each frame: the middle of the frame's display interval, inside the clip. */
  seekS: number[];
  /** Frames in the clip, N. */
  numClipFrames: number;
  /** Frames that fell past the clip's end and were repeated or looped. */
  padded: number;
  /** Frames in one window: (T − 1)·stride + 1 (for `spread`, the whole clip). */
  windowFrames: number;
}

/** Frame count of a clip: exact where known, else ⌊duration × fps⌋ (at least 1). */
export function clipFrameCount(clip: ClipTiming): number {
  if (clip.numFrames !== undefined) {
    assertInt(clip.numFrames, 1, 'numFrames');
    return clip.numFrames;
  }
  if (!(clip.durationS > 0) || !Number.isFinite(clip.durationS)) throw new Error(`Clip duration must be a positive number of seconds, got ${clip.durationS}.`);
  if (!(clip.fps > 0) || !Number.isFinite(clip.fps)) throw new Error(`Clip frame rate must be positive, got ${clip.fps}.`);
  // The epsilon keeps 2.0 s × 30 fps from becoming 59 through rounding error.
  return Math.max(1, Math.floor(clip.durationS * clip.fps + 1e-6));
}

function assertInt(v: number, min: number, name: string): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`Sampling: ${name} must be a whole number ≥ ${min}, got ${v}.`);
}

/** Map a frame number that may lie past the clip's end back inside it. */
function fold(i: number, n: number, policy: ShortClipPolicy): number {
  if (i < n) return i;
  return policy === 'loop' ? i % n : n - 1;
}

/** A window of T frames every `stride` from `start`, folded into the clip. */
function window(start: number, t: number, stride: number, n: number, policy: ShortClipPolicy): { idx: number[]; padded: number } {
  const idx: number[] = [];
  let padded = 0;
  for (let i = 0; i < t; i++) {
    const raw = start + i * stride;
    if (raw >= n) padded++;
    idx.push(fold(raw, n, policy));
  }
  return { idx, padded };
}

/** Plan which frames to take. Throws with a plain message on invalid settings. */
export function planSample(clip: ClipTiming, partial: Partial<SamplingConfig> = {}): SamplePlan {
  const cfg: SamplingConfig = { ...DEFAULT_SAMPLING, ...partial };
  const n = clipFrameCount(clip);
  assertInt(cfg.numFrames, 1, 'numFrames (T)');
  assertInt(cfg.stride, 1, 'stride');
  assertInt(cfg.chunks, 1, 'chunks (K)');
  assertInt(cfg.start, 0, 'start');
  assertInt(cfg.denseCap, 1, 'denseCap');
  const t = cfg.numFrames;
  const span = (t - 1) * cfg.stride + 1;
  let chunks: number[][];
  let padded = 0;
  let windowFrames = span;

  switch (cfg.strategy) {
    case 'uniform': {
      const w = window(Math.min(cfg.start, n - 1), t, cfg.stride, n, cfg.shortClip);
      chunks = [w.idx];
      padded = w.padded;
      break;
    }
    case 'spread': {
      // Centre of each of T equal segments: ⌊(i + ½)·N / T⌋. With T > N frames repeat (no padding).
      chunks = [Array.from({ length: t }, (_, i) => Math.min(n - 1, Math.floor(((i + 0.5) * n) / t)))];
      windowFrames = n;
      break;
    }
    case 'random-crop': {
      const rng = mulberry32(deriveSeed(cfg.seed, 'random-crop'));
      const start = n >= span ? randInt(rng, 0, n - span) : 0;
      const w = window(start, t, cfg.stride, n, cfg.shortClip);
      chunks = [w.idx];
      padded = w.padded;
      break;
    }
    case 'chunks': {
      // K window starts evenly spaced from 0 to N − span (one chunk: the centred window).
      const k = cfg.chunks;
      const last = Math.max(0, n - span);
      chunks = [];
      for (let c = 0; c < k; c++) {
        const start = k === 1 ? Math.floor(last / 2) : Math.round((c * last) / (k - 1));
        const w = window(start, t, cfg.stride, n, cfg.shortClip);
        chunks.push(w.idx);
        padded += w.padded;
      }
      break;
    }
    case 'dense': {
      const start = Math.min(cfg.start, n - 1);
      const count = Math.min(n - start, cfg.denseCap);
      chunks = [Array.from({ length: count }, (_, i) => start + i)];
      windowFrames = count;
      break;
    }
    default: {
      const never: never = cfg.strategy;
      throw new Error(`Unknown sampling strategy ${String(never)}.`);
    }
  }

  const frameIdx = chunks.flat();
  const fps = clip.numFrames !== undefined ? n / clip.durationS : clip.fps;
  const timesS = frameIdx.map((i) => i / fps);
  // Seek to the middle of frame i's display interval, clamped a hair inside the clip: seeking
  // exactly onto a frame boundary can land on either neighbour.
  const lastInstant = Math.max(0, clip.durationS - 1e-3);
  const seekS = frameIdx.map((i) => Math.min((i + 0.5) / fps, lastInstant));
  return { chunks, frameIdx, timesS, seekS, numClipFrames: n, padded, windowFrames };
}

// ─── reading a stored sample ─────────────────────────────────────────────────────────────────
//
// The worker holds a clip as the frames a plan took, in plan order, with the stride, the start
// and any short-clip padding already applied. A model reads windows of T of those stored frames,
// planned by planSample over them (stride 1 from stored frame 0: the stride is in the frames
// already), with the strategy and K the user picked:
//   uniform, spread  the stored window itself: exactly the frames the explorer showed
//   chunks           the K chunks: exactly the explorer's chunks (training reads each in turn)
//   random-crop      training: a fresh seeded crop of T per read (the explorer's own crop when the
//                    clip holds just T frames); validation and inference: the centred window
//   dense            training: as random-crop; validation and inference: K chunks over the frames

/** The sampling settings a stored sample is read with (dataset-make and train-infer carry them). */
export type SampleRead = Pick<SamplingConfig, 'strategy' | 'chunks'>;

/** Plain words for what is wrong with sampling settings that came from outside (a request). */
export function checkSampleRead(read: SampleRead | undefined): asserts read is SampleRead {
  if (!read) throw new Error('The request carries no sampling settings (strategy and chunks K).');
  if (!(STRATEGIES as readonly string[]).includes(read.strategy)) throw new Error(`Sampling strategy “${String(read.strategy)}” is not one of ${STRATEGIES.join(', ')}.`);
  if (!(Number.isInteger(read.chunks) && read.chunks >= 1 && read.chunks <= MAX_CHUNKS)) throw new Error(`The number of chunks K must be a whole number from 1 to ${MAX_CHUNKS}, got ${read.chunks}.`);
}

/**
 * The windows [K][T] of stored-frame numbers a model of T frames reads from a stored sample of
 * `numStored` frames: for training ('train', one fresh crop per `seed` for random-crop and
 * dense) or for validation and inference ('eval'). Throws when the sample holds fewer than T.
 */
export function readPlan(numStored: number, numFrames: number, read: SampleRead, purpose: 'train' | 'eval', seed: number): number[][] {
  if (numStored < numFrames) throw new Error(`The sample holds ${numStored} frame${numStored === 1 ? '' : 's'} but the model takes ${numFrames}.`);
  const crops = read.strategy === 'random-crop' || read.strategy === 'dense';
  const strategy: Strategy = crops ? (purpose === 'train' ? 'random-crop' : 'chunks') : read.strategy;
  const chunks = read.strategy === 'chunks' || read.strategy === 'dense' ? read.chunks : 1;
  return planSample({ durationS: numStored, fps: 1, numFrames: numStored }, { strategy, numFrames, stride: 1, start: 0, chunks, seed }).chunks;
}

/** Plain words for what the plan did with a short clip, or null when nothing was padded. */
export function describePadding(plan: SamplePlan, policy: ShortClipPolicy): string | null {
  if (plan.padded === 0) return null;
  const what = policy === 'loop' ? 'looped back to the start' : 'repeated the last frame';
  return `The clip has ${plan.numClipFrames} frame${plan.numClipFrames === 1 ? '' : 's'}, fewer than the window of ${plan.windowFrames}: ${plan.padded} sampled frame${plan.padded === 1 ? '' : 's'} ${what}.`;
}

/**
 * The source rectangle that, scaled to outW × outH, resizes the short side and centre-crops
 * the rest (aspect kept, no stretching): the usual video-model preprocessing.
 */
export function centreCrop(srcW: number, srcH: number, outW: number, outH: number): { sx: number; sy: number; sw: number; sh: number } {
  if (!(srcW > 0 && srcH > 0 && outW > 0 && outH > 0)) throw new Error(`centreCrop: sizes must be positive, got ${srcW}×${srcH} → ${outW}×${outH}.`);
  const scale = Math.max(outW / srcW, outH / srcH);
  const sw = outW / scale;
  const sh = outH / scale;
  return { sx: (srcW - sw) / 2, sy: (srcH - sh) / 2, sw, sh };
}
