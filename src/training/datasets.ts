// Training data as "example sets": a size, a label per example, and a way to write example i's
// frames [T, H, W, 3] (Float32 in [0, 1]) into a batch buffer. Synthetic tasks are fixed clips;
// "your own clips" are random temporal crops of the user's sampled clips, re-drawn every time
// an example is read, with the train/validation split made by clip, never by crop.
//
// Plain typed arrays only: the loop turns a filled batch buffer into one tensor.

import { deriveSeed, mulberry32, randInt, shuffleInPlace, type Rng } from '../lib/random';
import { clipLength, generateClips, type SyntheticOptions } from '../data/synthetic/tasks';
import type { TaskId } from '../data/synthetic/task-info';
import type { StoredFrames } from '../worker/clip-store';

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

/** A synthetic task: train and validation drawn from independent seeds (no clip is on both sides). */
export function syntheticData(o: SyntheticDataOptions): TrainData {
  const train = generateClips(o.task, o.trainPerClass ?? 48, o, deriveSeed(o.seed, 'train'));
  const val = generateClips(o.task, o.valPerClass ?? 16, o, deriveSeed(o.seed, 'val'));
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

/**
 * Copy frames start … start+T−1 of a stored RGBA clip into `out` as RGB floats, resized
 * (nearest neighbour) to H × W.
 */
export function cropToFloat(f: StoredFrames, start: number, numFrames: number, height: number, width: number, out: Float32Array, offset: number): void {
  for (let t = 0; t < numFrames; t++) {
    const src = (start + t) * f.height * f.width * 4;
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
  }
}

export interface OwnDataOptions {
  classes: readonly OwnClass[];
  numFrames: number;
  height: number;
  width: number;
  seed: number;
  /** Random crops per training clip per epoch (default 8). */
  cropsPerClip?: number;
  /** Fraction of each class's clips held out (default 0.25). */
  valFraction?: number;
}

/**
 * Your own clips: training examples are random temporal crops (a new crop each read); validation
 * uses each held-out clip's centre crop. `lookup` returns the stored frames of a clip.
 */
export function ownClipsData(o: OwnDataOptions, lookup: (clipId: string) => StoredFrames): TrainData {
  const { train, val } = splitByClip(o.classes, o.valFraction ?? 0.25, o.seed);
  const T = o.numFrames;
  const frames = new Map<string, StoredFrames>();
  for (const { clipId } of [...train, ...val]) {
    const f = lookup(clipId);
    if (f.numFrames < T) throw new Error(`Clip ${clipId} has ${f.numFrames} sampled frames but the model takes ${T}: sample more frames from it, or lower “frames”.`);
    frames.set(clipId, f);
  }
  const crops = o.cropsPerClip ?? 8;
  const trainSet: ExampleSet = {
    size: train.length * crops,
    labels: Int32Array.from({ length: train.length * crops }, (_, i) => train[i % train.length].label),
    fill(i, out, offset, rng) {
      const f = frames.get(train[i % train.length].clipId)!;
      cropToFloat(f, randInt(rng, 0, f.numFrames - T), T, o.height, o.width, out, offset);
    },
  };
  const valSet: ExampleSet = {
    size: val.length,
    labels: Int32Array.from(val, (c) => c.label),
    fill(i, out, offset) {
      const f = frames.get(val[i].clipId)!;
      cropToFloat(f, Math.floor((f.numFrames - T) / 2), T, o.height, o.width, out, offset);
    },
  };
  return {
    classNames: o.classes.map((c) => c.name),
    numFrames: T,
    height: o.height,
    width: o.width,
    train: trainSet,
    val: valSet,
    bytes: [...frames.values()].reduce((a, f) => a + f.rgba.byteLength, 0),
  };
}

/** Which clips an own-clips dataset trains and validates on (for the no-leakage check and the UI). */
export const ownSplitClips = (o: Pick<OwnDataOptions, 'classes' | 'seed' | 'valFraction'>) => splitByClip(o.classes, o.valFraction ?? 0.25, o.seed);
