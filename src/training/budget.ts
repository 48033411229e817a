// One memory budget for everything a setting allocates, checked before anything is built, by the
// page (before it samples a clip, makes a dataset or starts a run) and by the worker (which never
// trusts the page) with the same function, `budgetFor`. Line items, in bytes:
//
//   dataset      a synthetic task's clips, kept in the worker: classes × (train + val) × T·H·W·3 × 4 B
//                (Float32); own clips: the stored RGBA frames the dataset reads (already sampled)
//   flow inputs  two-stream's optical flow for the examples: examples × L × H·W·2 × 4 B, at most
//                what the worker's flow store keeps (it drops the least recently used)
//   frames       one clip's sample: n = K·T frames (the plan's count) × H·W·4 B RGBA, grabbed on
//                the page and moved (not copied) into the worker's clip store
//   thumbnails   one bitmap per sampled frame for the frame strip: n × H·W·4 B
//   flow         the motion view's flow between consecutive sampled frames: (n − 1) × H·W·2 × 4 B
//   weights      4 B × (trainable + non-trainable parameters)
//   gradients    4 B × trainable parameters
//   optimizer    Adam keeps two moments per weight (8 B × trainable); plain SGD keeps none
//   activations  2 × batch × Σ layer outputs (forward values kept for backprop + their gradients)
//   inputs       the batch itself: batch × (T·H·W·3 + L·H·W·2) × 4 B
//
// Checked against the caps below (per clip), the largest buffer the device binds (WebGPU's
// maxStorageBufferBindingSize / maxBufferSize, from the worker), and a fixed working budget
// (browsers do not say how much memory a tab may use). A refusal names what does not fit and,
// for each knob that alone would fix it (batch size, frame size, frames T, chunks K, training
// clips per class), the largest value that fits.
//
// Pure arithmetic over plain numbers and a model's describe() rows (which allocate nothing): no
// tfjs, so the page imports it.

import type { Description } from '../models/types';
import { formatBytes, formatInt } from '../lib/format';

// ─── caps: one place ─────────────────────────────────────────────────────────────────────────

/** Clips open on the page at once, and clips whose frames the worker keeps. */
export const MAX_CLIPS = 32;
/** A clip file: read in ranges, never whole, but a bound on what a page is asked to index. */
export const MAX_CLIP_FILE_BYTES = 8 * 1024 ** 3;
/** Sampled frames of one clip (K·T, or dense's count). */
export const MAX_FRAMES_PER_CLIP = 512;
/** Bytes of one clip's sampled RGBA frames in the worker. */
export const MAX_CLIP_FRAME_BYTES = 256 * 1024 ** 2;
/** Sampled frames the worker keeps over all clips. */
export const MAX_STORED_FRAMES = 4096;
/** Bytes of sampled frames the worker keeps over all clips. */
export const MAX_STORED_FRAME_BYTES = 1024 ** 3;
/** Default working budget for one setting: 1 GiB. */
export const DEFAULT_TOTAL_BUDGET = 1024 ** 3;

/** What the device allows. `maxBindingBytes` is null off WebGPU and on the page (no per-buffer limit known). */
export interface DeviceLimits {
  backend: string;
  maxBindingBytes: number | null;
  /** The total working budget (fixed: browsers do not report a tab's memory). */
  totalBytes: number;
  /** Where the limits came from, in words. */
  source: string;
}

/** The page's limits: the working budget only (the worker adds the GPU's per-buffer limit). */
export const PAGE_LIMITS: DeviceLimits = {
  backend: 'page',
  maxBindingBytes: null,
  totalBytes: DEFAULT_TOTAL_BUDGET,
  source: 'a fixed 1 GiB working budget',
};

// ─── a setting ───────────────────────────────────────────────────────────────────────────────

/** A model to train, described at any T and frame size (describe() allocates nothing). */
export interface ModelSetting {
  batchSize: number;
  optimizer: 'adam' | 'sgd';
  describe(numFrames: number, size: number): Description;
  /** Two-stream's 'flow' input: L flows per example at T frames, the examples, and the flow store's bound. */
  flowInputs?: { stack(numFrames: number): number; examples: number; storeBytes: number };
}

/** Everything one setting builds, at the user's knobs; an absent part allocates nothing. */
export interface BudgetSetting {
  /** T: the frames knob. */
  numFrames: number;
  /** H = W: the frame size knob. */
  size: number;
  /** A synthetic task kept in the worker as Float32, or own clips read from their stored frames. */
  dataset?:
    | { kind: 'synthetic'; classes: number; trainPerClass: number; valPerClass: number }
    | { kind: 'stored'; bytes: number };
  /** One clip sampled: `framesOf(T, K)` frames (the plan's count), with thumbnails and the motion view's flow. */
  sample?: {
    chunks: number;
    framesOf(numFrames: number, chunks: number): number;
    thumbnails: boolean;
    flow: boolean;
  };
  model?: ModelSetting;
}

export type BudgetItem =
  | 'dataset'
  | 'flow inputs'
  | 'frames'
  | 'thumbnails'
  | 'flow'
  | 'weights'
  | 'gradients'
  | 'optimizer'
  | 'activations'
  | 'inputs';

export interface BudgetLine {
  item: BudgetItem;
  bytes: number;
}

export interface Budget {
  lines: BudgetLine[];
  totalBytes: number;
  /** The biggest single tensor during a training step (a layer's output for the whole batch); 0 without a model. */
  largestTensorBytes: number;
  largestTensorLayer: string | null;
  limits: DeviceLimits;
  fits: boolean;
  /** Plain words: what does not fit and which knob to lower to what; null when it fits. */
  refusal: string | null;
}

/** Bytes of one line item (0 when the setting has none). */
export const bytesOf = (b: Pick<Budget, 'lines'>, item: BudgetItem): number =>
  b.lines.find((l) => l.item === item)?.bytes ?? 0;

/** "dataset 12.0 GiB, weights 1.2 KiB, …": the non-zero lines. */
export const linesText = (b: Pick<Budget, 'lines'>): string =>
  b.lines
    .filter((l) => l.bytes > 0)
    .map((l) => `${l.item} ${formatBytes(l.bytes)}`)
    .join(', ');

// ─── measuring ───────────────────────────────────────────────────────────────────────────────

interface Measured {
  lines: BudgetLine[];
  totalBytes: number;
  largestTensorBytes: number;
  largestTensorLayer: string | null;
  sampleFrames: number;
  sampleFrameBytes: number;
}

function checkWhole(v: number, min: number, what: string): void {
  if (!(Number.isInteger(v) && v >= min))
    throw new Error(`The budget needs ${what} as a whole number ≥ ${min}, got ${v}.`);
}

function checkSetting(s: BudgetSetting): void {
  checkWhole(s.numFrames, 1, 'the frames (T)');
  checkWhole(s.size, 1, 'the frame size');
  if (s.dataset?.kind === 'synthetic') {
    checkWhole(s.dataset.classes, 1, 'the number of classes');
    checkWhole(s.dataset.trainPerClass, 1, 'the training clips per class');
    checkWhole(s.dataset.valPerClass, 1, 'the validation clips per class');
  } else if (s.dataset && !(s.dataset.bytes >= 0))
    throw new Error(`The budget needs the stored frames’ bytes, got ${s.dataset.bytes}.`);
  if (s.sample) checkWhole(s.sample.chunks, 1, 'the chunks (K)');
  if (s.model) checkWhole(s.model.batchSize, 1, 'the batch size');
}

const syntheticClips = (d: {
  classes: number;
  trainPerClass: number;
  valPerClass: number;
}): number => d.classes * (d.trainPerClass + d.valPerClass);

function measure(s: BudgetSetting, describe: (t: number, size: number) => Description): Measured {
  const { numFrames: T, size } = s;
  const px = size * size;
  const lines: BudgetLine[] = [];
  if (s.dataset)
    lines.push({
      item: 'dataset',
      bytes:
        s.dataset.kind === 'synthetic'
          ? syntheticClips(s.dataset) * T * px * 3 * 4
          : s.dataset.bytes,
    });
  let sampleFrames = 0;
  if (s.sample) {
    sampleFrames = s.sample.framesOf(T, s.sample.chunks);
    lines.push({ item: 'frames', bytes: sampleFrames * px * 4 });
    if (s.sample.thumbnails) lines.push({ item: 'thumbnails', bytes: sampleFrames * px * 4 });
    if (s.sample.flow)
      lines.push({ item: 'flow', bytes: Math.max(0, sampleFrames - 1) * px * 2 * 4 });
  }
  let largestTensorBytes = 0;
  let largestPerExample = 0;
  let largestTensorLayer: string | null = null;
  const m = s.model;
  if (m) {
    const desc = describe(T, size);
    const { trainableParams, nonTrainableParams, activationBytes: actPerExample } = desc.totals;
    const flows = m.flowInputs ? m.flowInputs.stack(T) : 0;
    if (m.flowInputs && flows > 0) {
      const examples =
        s.dataset?.kind === 'synthetic' ? syntheticClips(s.dataset) : m.flowInputs.examples;
      lines.push({
        item: 'flow inputs',
        bytes: Math.min(examples * flows * px * 2 * 4, m.flowInputs.storeBytes),
      });
    }
    const framesIn = T * px * 3 * 4;
    const inputPerExample = framesIn + flows * px * 2 * 4;
    lines.push(
      { item: 'weights', bytes: 4 * (trainableParams + nonTrainableParams) },
      { item: 'gradients', bytes: 4 * trainableParams },
      { item: 'optimizer', bytes: m.optimizer === 'adam' ? 8 * trainableParams : 0 },
      { item: 'activations', bytes: 2 * actPerExample * m.batchSize },
      { item: 'inputs', bytes: inputPerExample * m.batchSize },
    );
    largestPerExample = framesIn;
    largestTensorLayer = 'input clips';
    for (const row of desc.layers)
      if (row.activationBytes > largestPerExample) {
        largestPerExample = row.activationBytes;
        largestTensorLayer = row.name;
      }
    largestTensorBytes = largestPerExample * m.batchSize;
  }
  const totalBytes = lines.reduce((a, l) => a + l.bytes, 0);
  return {
    lines,
    totalBytes,
    largestTensorBytes,
    largestTensorLayer,
    sampleFrames,
    sampleFrameBytes: sampleFrames * px * 4,
  };
}

/** What is over, in plain words; null when the measured setting fits. */
function overReason(m: Measured, s: BudgetSetting, limits: DeviceLimits): string | null {
  if (s.sample && m.sampleFrames > MAX_FRAMES_PER_CLIP)
    return `the sample takes ${formatInt(m.sampleFrames)} frames of the clip${s.sample.chunks > 1 && m.sampleFrames === s.sample.chunks * s.numFrames ? ` (${s.sample.chunks} chunks × ${s.numFrames})` : ''}, more than the ${MAX_FRAMES_PER_CLIP} one clip may keep`;
  if (s.sample && m.sampleFrameBytes > MAX_CLIP_FRAME_BYTES)
    return `the clip’s ${formatInt(m.sampleFrames)} sampled frames at ${s.size}×${s.size} take ${formatBytes(m.sampleFrameBytes)}, more than the ${formatBytes(MAX_CLIP_FRAME_BYTES)} one clip may keep`;
  if (s.model && limits.maxBindingBytes !== null && m.largestTensorBytes > limits.maxBindingBytes)
    return `the output of ${m.largestTensorLayer} for a batch of ${s.model.batchSize} is ${formatBytes(m.largestTensorBytes)}, but this GPU binds at most ${formatBytes(limits.maxBindingBytes)} per buffer`;
  if (m.totalBytes > limits.totalBytes)
    return `this setting needs about ${formatBytes(m.totalBytes)} (${linesText(m)}) but the working budget is ${formatBytes(limits.totalBytes)}`;
  return null;
}

// ─── knobs: the largest value that fits ──────────────────────────────────────────────────────

interface Knob {
  label: string;
  /** Candidate values in ascending order: value(0) < value(1) < … < value(count − 1) < current. */
  count: number;
  value(i: number): number;
  apply(s: BudgetSetting, v: number): BudgetSetting;
}

function knobsOf(s: BudgetSetting): Knob[] {
  const knobs: Knob[] = [];
  const m = s.model;
  if (m)
    knobs.push({
      label: 'the batch size',
      count: m.batchSize - 1,
      value: (i) => i + 1,
      apply: (x, v) => ({ ...x, model: { ...m, batchSize: v } }),
    });
  // Frame sizes in steps of 8 (8, 16, …) below the current one.
  knobs.push({
    label: 'the frame size',
    count: Math.max(0, Math.ceil(s.size / 8) - 1),
    value: (i) => 8 * (i + 1),
    apply: (x, v) => ({ ...x, size: v }),
  });
  const minT = s.dataset?.kind === 'synthetic' || m ? 2 : 1;
  knobs.push({
    label: 'the frames (T)',
    count: Math.max(0, s.numFrames - minT),
    value: (i) => minT + i,
    apply: (x, v) => ({ ...x, numFrames: v }),
  });
  const sample = s.sample;
  if (sample && sample.chunks > 1)
    knobs.push({
      label: 'the chunks (K)',
      count: sample.chunks - 1,
      value: (i) => i + 1,
      apply: (x, v) => ({ ...x, sample: { ...sample, chunks: v } }),
    });
  const d = s.dataset;
  if (d?.kind === 'synthetic' && d.trainPerClass > 2)
    knobs.push({
      label: 'the training clips per class',
      count: d.trainPerClass - 2,
      value: (i) => i + 2,
      apply: (x, v) => ({ ...x, dataset: { ...d, trainPerClass: v } }),
    });
  return knobs;
}

/**
 * The largest value of one knob (others held) at which the setting fits, or null. Bytes grow
 * with every knob, so a binary search; a value the model cannot take at all (describe() throws:
 * too small for its layers) counts as "not over" while searching and is checked at the end.
 */
function largestFitting(knob: Knob, fitsAt: (v: number) => boolean | 'invalid'): number | null {
  let lo = 0;
  let hi = knob.count - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fitsAt(knob.value(mid)) !== false) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best >= 0 && fitsAt(knob.value(best)) === true ? knob.value(best) : null;
}

function advice(
  s: BudgetSetting,
  limits: DeviceLimits,
  describe: (t: number, size: number) => Description,
): string {
  const options: string[] = [];
  for (const knob of knobsOf(s)) {
    const v = largestFitting(knob, (value) => {
      const variant = knob.apply(s, value);
      try {
        return overReason(measure(variant, describe), variant, limits) === null;
      } catch {
        return 'invalid';
      }
    });
    if (v !== null) options.push(`${knob.label} to ${v}`);
  }
  if (options.length === 0)
    return s.model
      ? 'No one knob alone is enough: lower the frame size and the frames (T) together, or pick a smaller preset.'
      : 'No one knob alone is enough: lower the frame size and the frames (T) together.';
  return `To fit, lower ${options.join(', or ')}.`;
}

/**
 * The memory a setting allocates, line by line, against the caps and the limits. Throws (plain
 * words) on a setting that is not whole numbers, or that the model cannot take at all.
 */
export function budgetFor(s: BudgetSetting, limits: DeviceLimits): Budget {
  checkSetting(s);
  // One describe per (T, size): the knob search asks for the same shapes many times.
  const described = new Map<string, Description>();
  const describe = (t: number, size: number): Description => {
    const key = `${t}x${size}`;
    let d = described.get(key);
    if (!d) described.set(key, (d = s.model!.describe(t, size)));
    return d;
  };
  const m = measure(s, describe);
  const reason = overReason(m, s, limits);
  return {
    lines: m.lines,
    totalBytes: m.totalBytes,
    largestTensorBytes: m.largestTensorBytes,
    largestTensorLayer: m.largestTensorLayer,
    limits,
    fits: reason === null,
    refusal: reason === null ? null : `Will not fit: ${reason}. ${advice(s, limits, describe)}`,
  };
}

/** The budget's refusal as an error, or nothing when it fits. */
export function refuseUnlessFits(b: Budget): void {
  if (!b.fits) throw new Error(b.refusal ?? 'Will not fit.');
}
