// Training data as "example sets": a size, a label per example, and a way to write example i's
// frames [T, H, W, 3] (Float32 in [0, 1]) into a batch buffer. Synthetic tasks are fixed clips;
// "your own clips" are windows of the user's sampled clips, read with the sampling strategy the
// user picked (data/sampling.ts readPlan: random crops are re-drawn every time an example is
// read), with the train/validation split made by clip, never by window.
//
// Plain typed arrays only: the loop turns a filled batch buffer into one tensor.

import { deriveSeed, mulberry32, shuffleInPlace, type Rng } from '../lib/random';
import { clipLength, generateClips, type SyntheticOptions } from '../data/synthetic/tasks';
import type { TaskId } from '../data/synthetic/task-info';
import { readPlan, type SampleRead } from '../data/sampling';

export interface ExampleSet {
  size: number;
  labels: Int32Array;
  /** Write example i's frames [T, H, W, 3] into `out` at `offset`. `rng` drives random crops. */
  fill(i: number, out: Float32Array, offset: number, rng: Rng): void;
}

export interface TrainData {
  classNames: readonly string[];
  numFrames: number; // T
  height: number; // H
  width: number; // W
  train: ExampleSet;
  val: ExampleSet;
  /** Bytes of frames this dataset keeps in the worker. */
  bytes: number;
}

export interface SyntheticDataOptions extends SyntheticOptions {
  task: TaskId;
  seed: number;
  /** Training clips per class (default 48) and validation clips per class (default 16). */
  trainPerClass?: number;
  valPerClass?: number;
}

function fixedSet(frames: Float32Array, labels: Int32Array, per: number): ExampleSet {
  return {
    size: labels.length,
    labels,
    fill(i, out, offset) {
      out.set(frames.subarray(i * per, (i + 1) * per), offset);
    },
  };
}

/** Clips per class of a synthetic task when the request does not say. */
export const SYNTHETIC_PER_CLASS = { train: 48, val: 16 } as const;

/** A synthetic task: train and validation drawn from independent seeds (no clip is on both sides). */
export function syntheticData(o: SyntheticDataOptions): TrainData {
  const train = generateClips(o.task, o.trainPerClass ?? SYNTHETIC_PER_CLASS.train, o, deriveSeed(o.seed, 'train'));
  const val = generateClips(o.task, o.valPerClass ?? SYNTHETIC_PER_CLASS.val, o, deriveSeed(o.seed, 'val'));
  const per = clipLength(train);
  return {
    classNames: train.classNames,
    numFrames: o.numFrames,
    height: o.height,
    width: o.width,
    train: fixedSet(train.frames, train.labels, per),
    val: fixedSet(val.frames, val.labels, per),
    bytes: train.frames.byteLength + val.frames.byteLength,
  };
}

// ─── your own clips ────────────────────────────────────────────────────────────────────────

export interface OwnClass {
  name: string;
  clipIds: string[];
}

export interface LabelledClip {
  clipId: string;
  label: number;
}

/**
 * Split clips into train and validation per class, by clip: each class gives
 * round(valFraction · n) clips (at least 1) to validation and keeps at least 1 for training.
 */
export function splitByClip(classes: readonly OwnClass[], valFraction: number, seed: number): { train: LabelledClip[]; val: LabelledClip[] } {
  if (classes.length < 2) throw new Error(`Training needs at least 2 classes; you have ${classes.length}.`);
  const seen = new Set<string>();
  const train: LabelledClip[] = [];
  const val: LabelledClip[] = [];
  const rng = mulberry32(deriveSeed(seed, 'split'));
  classes.forEach((c, label) => {
    if (c.clipIds.length < 2) throw new Error(`Class “${c.name}” has ${c.clipIds.length} clip${c.clipIds.length === 1 ? '' : 's'}: add at least 2 (one is held out for validation).`);
    for (const id of c.clipIds) {
      if (seen.has(id)) throw new Error(`Clip ${id} is in more than one class; a clip can have only one label.`);
      seen.add(id);
    }
    const ids = shuffleInPlace([...c.clipIds], rng);
    const nVal = Math.min(ids.length - 1, Math.max(1, Math.round(valFraction * ids.length)));
    ids.forEach((clipId, i) => (i < nVal ? val : train).push({ clipId, label }));
  });
  return { train, val };
}

/** What training reads of a stored clip (the worker's clip store holds these). */
export interface SampledFrames {
  clipId: string;
  numFrames: number; // frames stored, in plan order
  height: number;
  width: number;
  /** RGBA, 8-bit, frame-major: [numFrames, height, width, 4]. */
  rgba: Uint8ClampedArray;
}

/**
 * Copy the stored frames `frameIdx` (in that order) of an RGBA clip into `out` at `offset` as RGB
 * floats in [0, 1], resized (nearest neighbour) to H × W: [T = frameIdx.length, H, W, 3].
 */
export function framesToFloat(f: SampledFrames, frameIdx: readonly number[], height: number, width: number, out: Float32Array, offset: number): void {
  frameIdx.forEach((frame, t) => {
    const src = frame * f.height * f.width * 4;
    for (let y = 0; y < height; y++) {
      const sy = Math.min(f.height - 1, Math.floor(((y + 0.5) * f.height) / height));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(f.width - 1, Math.floor(((x + 0.5) * f.width) / width));
        const s = src + 4 * (sy * f.width + sx);
        const d = offset + 3 * ((t * height + y) * width + x);
        out[d] = f.rgba[s] / 255;
        out[d + 1] = f.rgba[s + 1] / 255;
        out[d + 2] = f.rgba[s + 2] / 255;
      }
    }
  });
}

/** Training reads of each own clip per epoch when the request does not say. */
export const DEFAULT_READS_PER_CLIP = 8;

export interface OwnDataOptions {
  classes: readonly OwnClass[];
  numFrames: number;
  height: number;
  width: number;
  seed: number;
  /** How each clip's stored sample is read: the strategy and K picked in the sampling explorer. */
  read: SampleRead;
  /** Training reads per clip per epoch (default 8). */
  readsPerClip?: number;
  /** Fraction of each class's clips held out (default 0.25). */
  valFraction?: number;
}

export interface OwnData {
  data: TrainData;
  /** Which clips train and which are held out (split by clip). */
  trainClipIds: string[];
  valClipIds: string[];
}

/**
 * Your own clips: each clip's stored frames are read with data/sampling.ts's readPlan — training
 * reads cycle through the plan's windows (a fresh seeded crop each read for random-crop and
 * dense, drawn from the loop's crop stream); validation takes every window of the plan's
 * validation reading. `lookup` returns the stored frames of a clip.
 */
export function ownClipsData(o: OwnDataOptions, lookup: (clipId: string) => SampledFrames): OwnData {
  const { train, val } = splitByClip(o.classes, o.valFraction ?? 0.25, o.seed);
  const T = o.numFrames;
  const frames = new Map<string, SampledFrames>();
  for (const { clipId } of [...train, ...val]) {
    const f = lookup(clipId);
    if (f.numFrames < T) throw new Error(`Clip ${clipId} has ${f.numFrames} sampled frames but the model takes ${T}: sample more frames from it, or lower “frames”.`);
    frames.set(clipId, f);
  }
  const stored = (clipId: string) => frames.get(clipId)!;
  const freshCrops = o.read.strategy === 'random-crop' || o.read.strategy === 'dense';
  const trainWindows = freshCrops ? [] : train.map((c) => readPlan(stored(c.clipId).numFrames, T, o.read, 'train', o.seed));
  const reads = o.readsPerClip ?? DEFAULT_READS_PER_CLIP;
  const n = train.length;
  const trainSet: ExampleSet = {
    size: n * reads,
    labels: Int32Array.from({ length: n * reads }, (_, i) => train[i % n].label),
    fill(i, out, offset, rng) {
      const c = i % n;
      const f = stored(train[c].clipId);
      const window = freshCrops ? readPlan(f.numFrames, T, o.read, 'train', Math.floor(rng() * 2 ** 32))[0] : trainWindows[c][Math.floor(i / n) % trainWindows[c].length];
      framesToFloat(f, window, o.height, o.width, out, offset);
    },
  };
  const valReads = val.flatMap(({ clipId, label }) => readPlan(stored(clipId).numFrames, T, o.read, 'eval', o.seed).map((window) => ({ clipId, label, window })));
  const valSet: ExampleSet = {
    size: valReads.length,
    labels: Int32Array.from(valReads, (r) => r.label),
    fill(i, out, offset) {
      framesToFloat(stored(valReads[i].clipId), valReads[i].window, o.height, o.width, out, offset);
    },
  };
  const data: TrainData = {
    classNames: o.classes.map((c) => c.name),
    numFrames: T,
    height: o.height,
    width: o.width,
    train: trainSet,
    val: valSet,
    bytes: [...frames.values()].reduce((a, f) => a + f.rgba.byteLength, 0),
  };
  return { data, trainClipIds: train.map((c) => c.clipId), valClipIds: val.map((c) => c.clipId) };
}
