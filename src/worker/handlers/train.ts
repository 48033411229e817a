// Training studio requests: make a dataset (a synthetic task from a seed, or the user's own
// labelled clips split by clip and read with the user's sampling strategy), preview it,
// start/pause/step/reset a run with progress streamed as events, evaluate a run (temporal-order
// tests, confusion matrix), inference on a stored clip over the sampling plan's chunks, the
// budget check, and memory use (optical flow is the worker's one store, flow/flow-store.ts).
//
//   page ── dataset-make ──▶ datasets (plain Float32 frames, kept here)
//        ── train-start ───▶ runs: TrainLoop (model + optimizer) ── train-batch / train-epoch /
//        ── train-control ─▶                                          train-status events ──▶ page
//        ── train-evaluate, train-infer ─▶ predictions on the run's model
//
// Every family is built the same way: getFamily(id).build(preset.config, clip). Only a few
// runs keep their model (MAX_LIVE_RUNS); older models are freed, their curves live on the page.

import * as tf from '@tensorflow/tfjs';
import { deriveSeed, mulberry32 } from '../../lib/random';
import type { ClipSpec } from '../../models/types';
import type { FamilyId } from '../../models/family-info';
import { budgetFor, bytesOf, refuseUnlessFits } from '../../training/budget';
import { datasetSetting, deviceLimits, runSetting, trainablePreset } from '../budget-check';
import { getFrames, storedBytes } from '../clip-store';
import { checkSampleRead, readPlan } from '../../data/sampling';
import { flowStore } from '../../flow/flow-store';
import { framesToFloat, ownClipsData, syntheticData, type TrainData } from '../../training/datasets';
import { accuracy, argmaxRows, confusionMatrix, perClassAccuracy } from '../../training/metrics';
import { ORDER_TESTS, orderFor, reorderFrames } from '../../training/order-tests';
import type { Handlers } from '../protocol';
import { TrainLoop } from '../../training/train-loop';
import { warmUpTraining } from '../../training/warm-up';
import { checkDeviceAfterFailure, deviceRecovery } from '../device-loss';
import type { DatasetArgs, DatasetInfo, RunState } from '../train-protocol';

/** Runs whose model stays in memory for evaluation and inference (older ones are freed). */
const MAX_LIVE_RUNS = 6;
/** Datasets kept at once (the oldest not used by a live run is dropped). */
const MAX_DATASETS = 4;
/** Most training reads of each own clip per epoch. */
const MAX_READS_PER_CLIP = 64;

interface Dataset {
  key: string;
  /** The request that made it (the run's budget reads it). */
  args: DatasetArgs;
  info: DatasetInfo;
  data: TrainData;
}

interface Run {
  runId: string;
  datasetId: string;
  loop: TrainLoop;
  data: TrainData;
  seed: number;
  /** The model's family and preset (the PyTorch export reads them, handlers/export.ts). */
  family: FamilyId;
  preset: string;
}

const datasets = new Map<string, Dataset>();
const runs = new Map<string, Run>();
let nextDataset = 1;

function getRun(runId: string): Run {
  const r = runs.get(runId);
  if (!r) throw new Error(`Run ${runId} is not in the worker any more (only the latest ${MAX_LIVE_RUNS} runs keep their model): train it again.`);
  return r;
}

function getDataset(datasetId: string): Dataset {
  const d = datasets.get(datasetId);
  if (!d) throw new Error(`Dataset ${datasetId} is not in the worker: make it again.`);
  return d;
}

function makeData(args: DatasetArgs): { data: TrainData; extra: Partial<DatasetInfo> } {
  if (!(Number.isInteger(args.size) && args.size >= 8 && args.size <= 256)) throw new Error(`Frame size must be a whole number from 8 to 256 pixels, got ${args.size}.`);
  if (args.kind === 'synthetic') {
    const data = syntheticData({ task: args.task, seed: args.seed, numFrames: args.numFrames, height: args.size, width: args.size, noise: args.noise, objectScale: args.objectScale, trainPerClass: args.trainPerClass, valPerClass: args.valPerClass });
    return { data, extra: {} };
  }
  // The page's sampling settings decide which stored frames are read; never trusted unchecked.
  checkSampleRead(args.sampling);
  if (args.readsPerClip !== undefined && !(Number.isInteger(args.readsPerClip) && args.readsPerClip >= 1 && args.readsPerClip <= MAX_READS_PER_CLIP)) throw new Error(`Reads per clip must be a whole number from 1 to ${MAX_READS_PER_CLIP}, got ${args.readsPerClip}.`);
  const { data, trainClipIds, valClipIds } = ownClipsData({ classes: args.classes, numFrames: args.numFrames, height: args.size, width: args.size, seed: args.seed, read: args.sampling, readsPerClip: args.readsPerClip, valFraction: args.valFraction }, getFrames);
  return { data, extra: { trainClipIds, valClipIds } };
}

function dropOldDatasets(): void {
  const used = new Set([...runs.values()].map((r) => r.datasetId));
  for (const id of datasets.keys()) {
    if (datasets.size <= MAX_DATASETS) break;
    if (!used.has(id)) datasets.delete(id);
  }
}

/** Before building `bytes` of frames: drop datasets no live run uses, oldest first, until the kept ones and the new one fit `limit`. */
function makeRoom(bytes: number, limit: number): void {
  const used = new Set([...runs.values()].map((r) => r.datasetId));
  const holdsFrames = (d: Dataset) => d.args.kind === 'synthetic'; // own clips' datasets read the clip store's frames
  let held = [...datasets.values()].filter(holdsFrames).reduce((a, d) => a + d.data.bytes, 0);
  for (const [id, d] of datasets) {
    if (held + bytes <= limit) break;
    if (used.has(id) || !holdsFrames(d)) continue;
    datasets.delete(id);
    held -= d.data.bytes;
  }
}

function runState(r: Run): RunState {
  return { runId: r.runId, status: r.loop.status, epoch: r.loop.epochsDone, step: r.loop.stepsDone, message: r.loop.error };
}

async function freeOldRuns(keep: string): Promise<void> {
  const ids = [...runs.keys()].filter((id) => id !== keep);
  while (ids.length >= MAX_LIVE_RUNS) {
    const id = ids.shift()!;
    const r = runs.get(id)!;
    runs.delete(id);
    await r.loop.dispose();
  }
}

function clipSpecOf(data: TrainData): ClipSpec {
  return { numFrames: data.numFrames, height: data.height, width: data.width, channels: 3, numClasses: data.classNames.length };
}

export const trainHandlers: Pick<Handlers, 'dataset-make' | 'dataset-preview' | 'train-start' | 'train-control' | 'train-evaluate' | 'train-infer' | 'train-budget' | 'train-memory'> = {
  async 'dataset-make'(args) {
    const key = JSON.stringify(args);
    if (args.kind === 'synthetic') for (const d of datasets.values()) if (d.key === key) return d.info;
    // The budget first: a setting that would not fit builds nothing.
    const limits = deviceLimits();
    const budget = budgetFor(datasetSetting(args), limits);
    refuseUnlessFits(budget);
    if (args.kind === 'synthetic') makeRoom(bytesOf(budget, 'dataset'), limits.totalBytes);
    const { data, extra } = makeData(args);
    const datasetId = `ds${nextDataset++}`;
    const info: DatasetInfo = {
      datasetId,
      classNames: [...data.classNames],
      numFrames: data.numFrames,
      height: data.height,
      width: data.width,
      trainSize: data.train.size,
      valSize: data.val.size,
      bytes: data.bytes,
      ...extra,
    };
    datasets.set(datasetId, { key, args, info, data });
    dropOldDatasets();
    return info;
  },

  async 'dataset-preview'({ datasetId, perClass }) {
    const { data, info } = getDataset(datasetId);
    const K = data.classNames.length;
    const picks: number[] = [];
    const taken = new Array<number>(K).fill(0);
    for (let i = 0; i < data.val.size; i++) {
      const l = data.val.labels[i];
      if (taken[l] < perClass) {
        taken[l]++;
        picks.push(i);
      }
    }
    const { numFrames: T, height: H, width: W } = data;
    const per = T * H * W * 3;
    const buf = new Float32Array(per);
    const rgba = new Uint8ClampedArray(picks.length * T * H * W * 4);
    const rng = mulberry32(1);
    picks.forEach((i, j) => {
      data.val.fill(i, buf, 0, rng);
      for (let p = 0; p < T * H * W; p++) {
        const o = j * T * H * W * 4 + 4 * p;
        rgba[o] = buf[3 * p] * 255;
        rgba[o + 1] = buf[3 * p + 1] * 255;
        rgba[o + 2] = buf[3 * p + 2] * 255;
        rgba[o + 3] = 255;
      }
    });
    return { datasetId, numFrames: T, height: H, width: W, rgba, labels: picks.map((i) => data.val.labels[i]), classNames: info.classNames };
  },

  async 'train-start'({ runId, datasetId, family: familyId, preset: presetName, train, mode = 'play' }, ctx) {
    if (runs.has(runId)) throw new Error(`Run ${runId} already exists.`);
    await deviceRecovery(); // after a lost GPU device, build on the backend that runs again
    const { data, args } = getDataset(datasetId);
    // Paper-scale presets and settings over the budget are refused before the model is built.
    const found = trainablePreset(familyId, presetName);
    const { family, preset } = found;
    const budget = budgetFor(runSetting(args, datasetSetting(args, data.bytes), found, train), deviceLimits());
    refuseUnlessFits(budget);
    const clip = clipSpecOf(data);
    const desc = family.describe(preset.config, clip);
    // One run trains at a time: pause the others first.
    for (const r of runs.values()) if (r.loop.status === 'training') await r.loop.pause();
    await freeOldRuns(runId);
    // Compile every shader a step needs now, on a throwaway clone, so the run's first step costs
    // about what later ones do (training/warm-up.ts). A failure here is left to the first real
    // step, which reports it with the loop's words.
    await warmUpTraining(() => family.build(preset.config, clip), clip, Math.min(train.batchSize, data.train.size), train.optimizer, train.learningRate).catch(() => undefined);
    const emitStatus = (status: RunState['status'], message: string | null) => {
      const r = runs.get(runId);
      ctx.emit({ type: 'train-status', runId, status, message, epoch: r?.loop.epochsDone ?? 0, step: r?.loop.stepsDone ?? 0 });
      if (status === 'error') checkDeviceAfterFailure(); // a lost device, found by the step it broke
    };
    const loop = new TrainLoop({
      build: () => family.build(preset.config, clip),
      data,
      config: train,
      callbacks: {
        onBatch: (p) => ctx.emit({ type: 'train-batch', runId, ...p }),
        onEpoch: (p) => ctx.emit({ type: 'train-epoch', runId, ...p }),
        onStatus: emitStatus,
      },
    });
    runs.set(runId, { runId, datasetId, loop, data, seed: train.seed, family: family.id, preset: found.name });
    if (mode === 'play') void loop.play();
    else if (mode === 'step') void loop.stepOnce();
    return { runId, trainableParams: desc.totals.trainableParams, macs: desc.totals.macs, batchesPerEpoch: loop.batchesPerEpoch, budget };
  },

  async 'train-control'({ runId, action }) {
    await deviceRecovery();
    const r = getRun(runId);
    if (action === 'play' || action === 'step') {
      for (const other of runs.values()) if (other !== r && other.loop.status === 'training') await other.loop.pause();
      if (r.loop.status === 'done' || r.loop.status === 'error') throw new Error(`Run ${runId} is ${r.loop.status}: reset it (or start a new run) to train again.`);
      if (action === 'play') void r.loop.play();
      else void r.loop.stepOnce();
    } else if (action === 'pause') await r.loop.pause();
    else await r.loop.reset();
    return runState(r);
  },

  async 'train-evaluate'({ runId }) {
    await deviceRecovery();
    const r = getRun(runId);
    if (r.loop.status === 'training') throw new Error('The run is still training: pause it or let it finish, then evaluate.');
    const { data } = r;
    const K = data.classNames.length;
    const T = data.numFrames;
    const frameSize = data.height * data.width * 3;
    const orderTests = [];
    let confusion: number[][] = [];
    for (const test of ORDER_TESTS) {
      const rng = mulberry32(deriveSeed(r.seed, `order-test/${test}`));
      const probs = await r.loop.predictSet(data.val, test === 'normal' ? undefined : (buf, offset) => reorderFrames(buf, offset, T, frameSize, orderFor(test, T, rng)));
      const pred = argmaxRows(probs, K);
      orderTests.push({ test, accuracy: accuracy(pred, data.val.labels) });
      if (test === 'normal') confusion = confusionMatrix(pred, data.val.labels, K);
    }
    return { runId, classNames: [...data.classNames], orderTests, confusion, perClass: perClassAccuracy(confusion) };
  },

  async 'train-infer'({ runId, clipId, valIndex, sampling }) {
    await deviceRecovery();
    const r = getRun(runId);
    const { data } = r;
    const { numFrames: T, height: H, width: W } = data;
    const K = data.classNames.length;
    const per = T * H * W * 3;
    let windows: number[][]; // [chunks][T] frame numbers
    let buf: Float32Array;
    let times: readonly number[];
    let totalFrames: number;
    if (clipId !== undefined) {
      // The chunks the sampling explorer shows for this clip (data/sampling.ts readPlan).
      checkSampleRead(sampling);
      const f = getFrames(clipId);
      if (f.numFrames < T) throw new Error(`The clip has ${f.numFrames} sampled frames but the model takes ${T}: sample more frames, or lower “frames”.`);
      windows = readPlan(f.numFrames, T, sampling, 'eval', r.seed);
      buf = new Float32Array(windows.length * per);
      windows.forEach((w, j) => framesToFloat(f, w, H, W, buf, j * per));
      times = f.timesS;
      totalFrames = f.numFrames;
    } else if (valIndex !== undefined) {
      if (!(Number.isInteger(valIndex) && valIndex >= 0 && valIndex < data.val.size)) throw new Error(`Validation example ${valIndex} does not exist (there are ${data.val.size}).`);
      windows = [Array.from({ length: T }, (_, i) => i)];
      buf = new Float32Array(per);
      data.val.fill(valIndex, buf, 0, mulberry32(1));
      times = windows[0];
      totalFrames = T;
    } else throw new Error('Inference needs a clip: pick a sampled clip or a validation example.');
    const probs = await r.loop.predictBatch(buf, windows.length);
    const mean = new Array<number>(K).fill(0);
    const rows = windows.map((w, j) => {
      const p = Array.from(probs.subarray(j * K, (j + 1) * K));
      p.forEach((v, k) => (mean[k] += v / windows.length));
      return { startFrame: w[0], endFrame: w[T - 1], startS: times[w[0]], endS: times[w[T - 1]], probs: p };
    });
    return { runId, classNames: [...data.classNames], chunks: rows, probs: mean, predicted: argmaxRows(mean, K)[0], totalFrames };
  },

  async 'train-budget'({ family, preset, dataset, batchSize, optimizer }) {
    return budgetFor(runSetting(dataset, datasetSetting(dataset), trainablePreset(family, preset), { batchSize, optimizer }), deviceLimits());
  },

  async 'train-memory'() {
    const m = tf.memory();
    return {
      numTensors: m.numTensors,
      numBytes: m.numBytes,
      datasetBytes: [...datasets.values()].reduce((a, d) => a + d.data.bytes, 0),
      clipBytes: storedBytes(),
      flowBytes: flowStore.stats.bytes,
      runsWithModels: runs.size,
    };
  },
};

/** A run's trained model with its family, preset and clip, for the PyTorch export (handlers/export.ts). */
export function runForExport(runId: string): { loop: TrainLoop; family: FamilyId; preset: string; clip: ClipSpec } {
  const r = getRun(runId);
  return { loop: r.loop, family: r.family, preset: r.preset, clip: clipSpecOf(r.data) };
}

/** Every run's training loop (device-loss.ts ends and rebuilds them when the GPU device is lost). */
export function trainLoops(): TrainLoop[] {
  return [...runs.values()].map((r) => r.loop);
}

/** For tests: free every run and dataset. */
export async function resetTrainHandlers(): Promise<void> {
  for (const r of runs.values()) await r.loop.dispose();
  runs.clear();
  datasets.clear();
}
