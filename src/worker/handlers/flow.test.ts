import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getFrames, putFrames, type StoredFrames } from '../clip-store';
import { flowStore } from '../../flow/flow-store';
import { flowHandlers, forgetFlowOf } from './flow';
import { resetTrainHandlers, trainHandlers } from './train';
import type { HandlerContext, WorkerEvent } from '../protocol';

const events: WorkerEvent[] = [];
const ctx: HandlerContext = { emit: (e) => void events.push(e), thread: 'worker' };

/** A clip panning by (vx, vy) working px per frame, frames `dt` s apart, as RGBA bytes. */
function panClip(clipId: string, vx: number, vy: number, dt: number, t = 5, h = 48, w = 64): StoredFrames {
  const rgba = new Uint8ClampedArray(t * h * w * 4);
  for (let f = 0; f < t; f++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const u = x - vx * f;
        const v = y - vy * f;
        const g = 0.5 + 0.2 * Math.sin(u / 3.1 + v / 5.3) + 0.2 * Math.cos(u / 4.7 - v / 2.9);
        const i = ((f * h + y) * w + x) * 4;
        rgba.set([g * 255, g * 230, g * 200, 255], i);
      }
  return { clipId, numFrames: t, height: h, width: w, rgba, timesS: Array.from({ length: t }, (_, f) => 1 + f * dt), nativeWidth: 320, nativeHeight: 240 };
}

describe('flow request', () => {
  it('returns display fields, colours and the mean in native px/s; computes each pair once; no leaks', async () => {
    // 2 working px right and 1 down per 0.1 s; native is 5× the working size on both axes.
    const frames = panClip('pan', 2, 1, 0.1);
    putFrames(frames);
    const before = tf.memory().numTensors;
    const r = await flowHandlers.flow({ clipId: 'pan', displaySize: 32 }, ctx);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.numPairs).toBe(4);
    expect([r.height, r.width, r.workingHeight, r.workingWidth]).toEqual([24, 32, 48, 64]);
    expect(r.flows.length).toBe(4 * 24 * 32 * 2);
    expect(r.colors.length).toBe(4 * 24 * 32 * 4);
    expect(r.meanDxPxPerS).toBeGreaterThan(100 * 0.97);
    expect(r.meanDxPxPerS).toBeLessThan(100 * 1.03);
    expect(r.meanDyPxPerS).toBeGreaterThan(50 * 0.97);
    expect(r.meanDyPxPerS).toBeLessThan(50 * 1.03);
    expect(r.enoughTexture).toBe(true);
    expect(r.determinedFraction).toBeGreaterThan(0.5); // a texture: most pixels see both components
    console.log(`flow request: mean dx=${r.meanDxPxPerS!.toFixed(2)}, dy=${r.meanDyPxPerS!.toFixed(2)} native px/s (truth 100, 50), ${(100 * r.determinedFraction).toFixed(0)}% determined, ${r.computeMs} ms`);
    expect(r.cached).toBe(false);
    const misses = flowStore.stats.misses;
    const again = await flowHandlers.flow({ clipId: 'pan' }, ctx);
    expect(again.cached).toBe(true);
    expect(flowStore.stats.misses).toBe(misses);
    expect(again.meanDxPxPerS).toBe(r.meanDxPxPerS);

    // Re-sampling the clip (new frames object) recomputes.
    putFrames(panClip('pan', -1, 0, 0.2));
    const resampled = await flowHandlers.flow({ clipId: 'pan' }, ctx);
    expect(resampled.cached).toBe(false);
    expect(resampled.meanDxPxPerS!).toBeCloseTo(-25, 0);
    expect(tf.memory().numTensors).toBe(before);

    // A removed clip's flow is forgotten: its 4 pairs (and the re-sampled clip's first pair, which
    // starts from the same first frame) leave the store, and the bytes fall by as much.
    const bytes = flowStore.stats.bytes;
    const freed = forgetFlowOf(frames);
    expect(freed).toBe(5 * 48 * 64 * (2 + 1) * 4); // flow (2 floats per pixel) and confidence (1)
    expect(flowStore.stats.bytes).toBe(bytes - freed);
  });

  it('measures large frames at a working size averaged down by a whole factor, in native px/s; a flat clip has too little texture', async () => {
    // Sampled at 240 × 320 (= native): above 160 × 120 pixels, so flow runs at 120 × 160; 4 sampled px per 0.1 s right.
    putFrames(panClip('big', 4, 0, 0.1, 3, 240, 320));
    const before = tf.memory().numTensors;
    const r = await flowHandlers.flow({ clipId: 'big' }, ctx);
    expect([r.workingHeight, r.workingWidth]).toEqual([120, 160]);
    expect(r.enoughTexture).toBe(true);
    expect(r.meanDxPxPerS!).toBeGreaterThan(40 * 0.97);
    expect(r.meanDxPxPerS!).toBeLessThan(40 * 1.03);
    expect(Math.abs(r.meanDyPxPerS!)).toBeLessThan(40 * 0.03);
    console.log(`flow request at 240×320 sampled, ${r.workingHeight}×${r.workingWidth} working: dx=${r.meanDxPxPerS!.toFixed(2)}, dy=${r.meanDyPxPerS!.toFixed(2)} native px/s (truth 40, 0)`);
    // Removing the clip frees its working-size flow: 2 pairs of 120 × 160 × (2 + 1) floats.
    const bytes = flowStore.stats.bytes;
    expect(forgetFlowOf(getFrames('big'))).toBe(2 * 120 * 160 * 3 * 4);
    expect(flowStore.stats.bytes).toBe(bytes - 2 * 120 * 160 * 3 * 4);

    const flat = panClip('flat', 0, 0, 0.1, 3);
    flat.rgba.fill(128);
    putFrames(flat);
    const f = await flowHandlers.flow({ clipId: 'flat' }, ctx);
    expect(f).toMatchObject({ enoughTexture: false, determinedFraction: 0, meanDxPxPerS: null, meanDyPxPerS: null });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('explains what is wrong: unknown clip, one frame, shared timestamps', async () => {
    await expect(flowHandlers.flow({ clipId: 'nope' }, ctx)).rejects.toThrow(/No frames for clip nope/);
    putFrames({ ...panClip('one', 1, 0, 0.1, 1) });
    await expect(flowHandlers.flow({ clipId: 'one' }, ctx)).rejects.toThrow(/at least 2/);
    const still = panClip('still', 1, 0, 0);
    putFrames(still);
    await expect(flowHandlers.flow({ clipId: 'still' }, ctx)).rejects.toThrow(/share one timestamp/);
  });
});

describe('one flow store for the flow view, two-stream training and inference', () => {
  it('computes each stored clip’s frame pairs once, whichever asks first; memory shows the store; no leaks', async () => {
    // Two clips per class, panning left or right, T = 4 frames of 16 × 16 (the model's size).
    const classes = [
      { name: 'left', clipIds: ['l1', 'l2'] },
      { name: 'right', clipIds: ['r1', 'r2'] },
    ];
    const speeds: Record<string, number> = { l1: -1, l2: -1.5, r1: 1, r2: 1.5 };
    for (const [id, v] of Object.entries(speeds)) putFrames(panClip(id, v, 0, 0.1, 4, 16, 16));
    const before = tf.memory().numTensors;
    const misses = flowStore.stats.misses;
    for (const id of Object.keys(speeds)) await flowHandlers.flow({ clipId: id }, ctx);
    expect(flowStore.stats.misses - misses).toBe(4 * 3);

    const sampling = { strategy: 'uniform' as const, chunks: 3 };
    const ds = await trainHandlers['dataset-make']({ kind: 'own', classes, seed: 1, numFrames: 4, size: 16, sampling }, ctx);
    const train = { optimizer: 'adam' as const, learningRate: 0.003, batchSize: 4, epochs: 1, seed: 1 };
    await trainHandlers['train-start']({ runId: 'flow-run', datasetId: ds.datasetId, family: 'two-stream', train }, ctx);
    const t0 = Date.now();
    while (!events.some((e) => e.type === 'train-status' && e.runId === 'flow-run' && (e.status === 'done' || e.status === 'error'))) {
      if (Date.now() - t0 > 60_000) throw new Error('timed out waiting for the two-stream run');
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(events.some((e) => e.type === 'train-status' && e.status === 'error')).toBe(false);
    const inf = await trainHandlers['train-infer']({ runId: 'flow-run', clipId: 'l1', sampling }, ctx);
    expect(inf.chunks).toHaveLength(1);
    // Training read every clip (and validated on the held-out ones), inference read one: nothing new computed.
    expect(flowStore.stats.misses - misses).toBe(4 * 3);
    expect((await trainHandlers['train-memory']({}, ctx)).flowBytes).toBe(flowStore.stats.bytes);
    await resetTrainHandlers();
    expect(tf.memory().numTensors).toBe(before);
  });
});
