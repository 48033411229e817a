import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { putFrames, type StoredFrames } from '../clip-store';
import { clipFlowInput, hasClipFlow } from '../../flow/clip-flow';
import { flowHandlers } from './flow';
import type { HandlerContext } from '../protocol';

const ctx: HandlerContext = { emit: () => {}, thread: 'worker' };

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
  it('returns display fields, colours and the mean in native px/s; caches per clip; no leaks', async () => {
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
    console.log(`flow request: mean dx=${r.meanDxPxPerS.toFixed(2)}, dy=${r.meanDyPxPerS.toFixed(2)} native px/s (truth 100, 50), ${r.computeMs} ms`);
    expect(r.cached).toBe(false);
    expect(hasClipFlow(frames)).toBe(true);
    const again = await flowHandlers.flow({ clipId: 'pan' }, ctx);
    expect(again.cached).toBe(true);
    expect(again.meanDxPxPerS).toBe(r.meanDxPxPerS);

    // Re-sampling the clip (new frames object) recomputes.
    putFrames(panClip('pan', -1, 0, 0.2));
    const resampled = await flowHandlers.flow({ clipId: 'pan' }, ctx);
    expect(resampled.cached).toBe(false);
    expect(resampled.meanDxPxPerS).toBeCloseTo(-25, 0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('feeds the two-stream motion stream [1, L, H, W, 2] from the cached flow', async () => {
    const frames = panClip('two-stream', 1.5, 0, 0.1, 6);
    putFrames(frames);
    const x = await clipFlowInput(frames, 3, 0.5);
    expect(x.shape).toEqual([1, 3, 48, 64, 2]);
    expect(hasClipFlow(frames)).toBe(true);
    const mean = tf.tidy(() => x.slice([0, 0, 10, 10, 0], [1, 3, 28, 44, 1]).mean().dataSync()[0]);
    expect(mean).toBeCloseTo(0.75, 1);
    x.dispose();
    await expect(clipFlowInput(frames, 6)).rejects.toThrow(/has 5 flows/);
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
