import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../models/registry';
import type { FamilyId } from '../../models/family-info';
import { putFrames } from '../clip-store';
import { generateClips, clipToRgba } from '../../data/synthetic/tasks';
import type { HandlerContext, WorkerEvent } from '../protocol';
import { standInFamily, tinyAverage, tinyConv3d } from '../../test/test-models';
import type { TrainEvent } from '../train-protocol';
import { readPlan } from '../../data/sampling';
import { resetTrainHandlers, trainHandlers as h } from './train';

// The worker's training requests, end to end on the CPU backend, with the test stand-in models
// registered under two family ids (restored afterwards).
const saved: Partial<Record<FamilyId, unknown>> = {};
const IDS = ['conv3d', 'single-frame'] as const;
beforeAll(() => {
  for (const id of IDS) saved[id] = FAMILIES[id];
  FAMILIES.conv3d = standInFamily('conv3d', tinyConv3d);
  FAMILIES['single-frame'] = standInFamily('single-frame', tinyAverage);
});
afterAll(async () => {
  await resetTrainHandlers();
  for (const id of IDS) (FAMILIES as Record<string, unknown>)[id] = saved[id];
});

function collector() {
  const events: TrainEvent[] = [];
  const ctx: HandlerContext = { emit: (e: WorkerEvent) => void (e.type !== 'log' && e.type !== 'backend' && events.push(e)), thread: 'worker' };
  return { events, ctx };
}

async function until(pred: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const SYN = { kind: 'synthetic' as const, task: 'order-direction' as const, seed: 2, numFrames: 4, size: 12, trainPerClass: 8, valPerClass: 4 };
const TRAIN = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 4, epochs: 3, seed: 9 };

describe('training requests', () => {
  it('makes (and caches) a synthetic dataset and previews it', async () => {
    const { ctx } = collector();
    const a = await h['dataset-make'](SYN, ctx);
    expect([a.trainSize, a.valSize, a.numFrames, a.height]).toEqual([16, 8, 4, 12]);
    expect(a.classNames).toEqual(['moves left', 'moves right']);
    expect((await h['dataset-make'](SYN, ctx)).datasetId).toBe(a.datasetId);
    expect((await h['dataset-make']({ ...SYN, seed: 3 }, ctx)).datasetId).not.toBe(a.datasetId);
    const p = await h['dataset-preview']({ datasetId: a.datasetId, perClass: 2 }, ctx);
    expect(p.labels.sort()).toEqual([0, 0, 1, 1]);
    expect(p.rgba.length).toBe(4 * 4 * 12 * 12 * 4);
  });

  it('trains with streamed events, pauses, steps, resets, evaluates and infers; no tensor leak', async () => {
    const { events, ctx } = collector();
    const before = tf.memory().numTensors;
    const ds = await h['dataset-make'](SYN, ctx);
    const start = await h['train-start']({ runId: 'r1', datasetId: ds.datasetId, family: 'conv3d', train: TRAIN, mode: 'idle' }, ctx);
    expect(start.batchesPerEpoch).toBe(4);
    expect(start.trainableParams).toBeGreaterThan(0);
    expect(start.budget.fits).toBe(true);

    // Step one batch: ends paused after exactly one batch event.
    let s = await h['train-control']({ runId: 'r1', action: 'step' }, ctx);
    await until(() => events.some((e) => e.type === 'train-status' && e.status === 'paused'), 'paused after a step');
    expect(events.filter((e) => e.type === 'train-batch')).toHaveLength(1);

    // Play to the end: 3 epochs, 12 batches, status done.
    s = await h['train-control']({ runId: 'r1', action: 'play' }, ctx);
    await until(() => events.some((e) => e.type === 'train-status' && e.status === 'done'), 'done');
    const epochs = events.filter((e) => e.type === 'train-epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === 'train-batch')).toHaveLength(12);
    for (const e of epochs) expect(e.valAcc).toBeGreaterThanOrEqual(0);
    await expect(h['train-control']({ runId: 'r1', action: 'play' }, ctx)).rejects.toThrow(/reset it/);

    const ev = await h['train-evaluate']({ runId: 'r1' }, ctx);
    expect(ev.orderTests.map((t) => t.test)).toEqual(['normal', 'shuffled', 'reversed', 'frozen']);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(8);
    expect(ev.orderTests[0].accuracy).toBeCloseTo(epochs[2].valAcc, 6);

    // K-chunk inference on a stored clip of 10 frames (T = 4): the chunks of the sampling plan.
    const clips = generateClips('order-direction', 1, { numFrames: 10, height: 24, width: 24 }, 4);
    putFrames({ clipId: 'c1', numFrames: 10, height: 24, width: 24, rgba: clipToRgba(clips, 0), timesS: Array.from({ length: 10 }, (_, i) => i / 10), nativeWidth: 24, nativeHeight: 24 });
    const inf = await h['train-infer']({ runId: 'r1', clipId: 'c1', sampling: { strategy: 'chunks', chunks: 3 } }, ctx);
    const plan = readPlan(10, 4, { strategy: 'chunks', chunks: 3 }, 'eval', 9);
    expect(inf.chunks.map((c) => [c.startFrame, c.endFrame])).toEqual(plan.map((w) => [w[0], w[3]]));
    expect(inf.chunks.map((c) => [c.startFrame, c.endFrame])).toEqual([[0, 3], [3, 6], [6, 9]]);
    expect(inf.chunks.map((c) => [c.startS, c.endS])).toEqual([[0, 0.3], [0.3, 0.6], [0.6, 0.9]]);
    expect(inf.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    for (let k = 0; k < 2; k++) expect(inf.probs[k]).toBeCloseTo(inf.chunks.reduce((a, c) => a + c.probs[k], 0) / 3, 5);
    // Sampled with one window (uniform): one prediction on it; K = 2 chunks of a 10-frame sample.
    expect((await h['train-infer']({ runId: 'r1', clipId: 'c1', sampling: { strategy: 'uniform', chunks: 3 } }, ctx)).chunks.map((c) => c.startFrame)).toEqual([0]);
    expect((await h['train-infer']({ runId: 'r1', clipId: 'c1', sampling: { strategy: 'chunks', chunks: 2 } }, ctx)).chunks.map((c) => c.startFrame)).toEqual([0, 6]);
    await expect(h['train-infer']({ runId: 'r1', clipId: 'nope', sampling: { strategy: 'chunks', chunks: 3 } }, ctx)).rejects.toThrow(/No frames for clip nope/);
    await expect(h['train-infer']({ runId: 'r1', clipId: 'c1' }, ctx)).rejects.toThrow(/no sampling settings/);
    await expect(h['train-infer']({ runId: 'r1', clipId: 'c1', sampling: { strategy: 'chunks', chunks: 40 } }, ctx)).rejects.toThrow(/chunks K must be a whole number from 1 to 16, got 40/);

    // Reset: back to idle, counters zero, can train again.
    s = await h['train-control']({ runId: 'r1', action: 'reset' }, ctx);
    expect([s.status, s.epoch, s.step]).toEqual(['idle', 0, 0]);

    const mem = await h['train-memory']({}, ctx);
    expect(mem.runsWithModels).toBe(1);
    expect(mem.datasetBytes).toBeGreaterThan(0);
    await resetTrainHandlers();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a second run pauses the first; budget warnings name the knob', async () => {
    const { events, ctx } = collector();
    const ds = await h['dataset-make'](SYN, ctx);
    await h['train-start']({ runId: 'a', datasetId: ds.datasetId, family: 'conv3d', train: { ...TRAIN, epochs: 50 } }, ctx);
    await until(() => events.some((e) => e.type === 'train-batch' && e.runId === 'a'), 'a trains');
    await h['train-start']({ runId: 'b', datasetId: ds.datasetId, family: 'single-frame', train: TRAIN }, ctx);
    expect(events.some((e) => e.type === 'train-status' && e.runId === 'a' && e.status === 'paused')).toBe(true);
    await until(() => events.some((e) => e.type === 'train-status' && e.runId === 'b' && e.status === 'done'), 'b done');
    const big = await h['train-budget']({ family: 'conv3d', dataset: { ...SYN, numFrames: 64, size: 256, trainPerClass: 1, valPerClass: 1 }, batchSize: 64, optimizer: 'adam' }, ctx);
    expect(big.fits).toBe(false);
    expect(big.refusal).toMatch(/lower the batch size to \d+/);
    await expect(h['train-start']({ runId: 'c', datasetId: (await h['dataset-make']({ ...SYN, size: 256, numFrames: 16, trainPerClass: 1, valPerClass: 1 }, ctx)).datasetId, family: 'conv3d', train: { ...TRAIN, batchSize: 256 } }, ctx)).rejects.toThrow(/batch size/);
    await resetTrainHandlers();
  });

  it('own clips: split by clip, crops from stored frames', async () => {
    const { ctx } = collector();
    const set = generateClips('appearance-shape', 3, { numFrames: 6, height: 16, width: 16 }, 1);
    const ids: string[][] = [[], []];
    for (let i = 0; i < set.numClips; i++) {
      const clipId = `own${i}`;
      putFrames({ clipId, numFrames: 6, height: 16, width: 16, rgba: clipToRgba(set, i), timesS: [0, 1, 2, 3, 4, 5], nativeWidth: 16, nativeHeight: 16 });
      ids[set.labels[i]].push(clipId);
    }
    const own = { kind: 'own' as const, seed: 1, numFrames: 4, size: 12, sampling: { strategy: 'random-crop' as const, chunks: 3 } };
    const ds = await h['dataset-make']({ ...own, classes: [{ name: 'square', clipIds: ids[0] }, { name: 'disc', clipIds: ids[1] }] }, ctx);
    expect(ds.valClipIds!.length).toBe(2);
    expect(ds.trainClipIds!.length).toBe(4);
    expect(ds.valClipIds!.filter((id) => ds.trainClipIds!.includes(id))).toEqual([]);
    expect(ds.trainSize).toBe(4 * 8);
    const two = [{ name: 'a', clipIds: ids[0] }, { name: 'b', clipIds: ids[1] }];
    await expect(h['dataset-make']({ ...own, classes: [{ name: 'square', clipIds: ids[0] }] }, ctx)).rejects.toThrow(/at least 2 classes/);
    await expect(h['dataset-make']({ ...own, classes: two, numFrames: 8 }, ctx)).rejects.toThrow(/6 sampled frames but the model takes 8/);
    // The page's sampling settings are checked, never trusted.
    await expect(h['dataset-make']({ ...own, classes: two, sampling: { strategy: 'zigzag' as never, chunks: 3 } }, ctx)).rejects.toThrow(/Sampling strategy “zigzag” is not one of/);
    await expect(h['dataset-make']({ ...own, classes: two, sampling: { strategy: 'chunks', chunks: 0 } }, ctx)).rejects.toThrow(/chunks K must be a whole number/);
    await expect(h['dataset-make']({ ...own, classes: two, sampling: undefined as never }, ctx)).rejects.toThrow(/no sampling settings/);
    await expect(h['dataset-make']({ ...own, classes: two, readsPerClip: 0 }, ctx)).rejects.toThrow(/Reads per clip must be a whole number/);
  });

  it('own clips are read with the sampling plan the page stored: a chunks sample trains and validates on its K chunks', async () => {
    const { ctx } = collector();
    // Each stored clip holds the K·T = 2·4 frames a chunks plan took; frame j's bytes are 10·j + the clip's number.
    const ids: string[][] = [[], []];
    for (let c = 0; c < 4; c++) {
      const rgba = new Uint8ClampedArray(8 * 12 * 12 * 4);
      for (let j = 0; j < 8; j++) rgba.fill(10 * j + c, j * 12 * 12 * 4, (j + 1) * 12 * 12 * 4);
      putFrames({ clipId: `k${c}`, numFrames: 8, height: 12, width: 12, rgba, timesS: Array.from({ length: 8 }, (_, j) => j), nativeWidth: 12, nativeHeight: 12 });
      ids[c % 2].push(`k${c}`);
    }
    const ds = await h['dataset-make']({ kind: 'own', classes: [{ name: 'even', clipIds: ids[0] }, { name: 'odd', clipIds: ids[1] }], seed: 3, numFrames: 4, size: 12, sampling: { strategy: 'chunks', chunks: 2 } }, ctx);
    expect(ds.valSize).toBe(2 * 2); // two held-out clips × K chunks
    const p = await h['dataset-preview']({ datasetId: ds.datasetId, perClass: 2 }, ctx);
    const frame = 12 * 12 * 4;
    const shown = Array.from({ length: p.labels.length }, (_, i) => Array.from({ length: 4 }, (_, t) => p.rgba[(i * 4 + t) * frame]));
    const chunk = (c: number, k: number) => Array.from({ length: 4 }, (_, t) => 10 * (4 * k + t) + c);
    const held = ds.valClipIds!.map((id) => Number(id.slice(1)));
    expect(shown.sort()).toEqual(held.flatMap((c) => [chunk(c, 0), chunk(c, 1)]).sort());
  });
});
