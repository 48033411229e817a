import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_CHUNKS, STRATEGIES, centreCrop, checkSampleRead, clipFrameCount, describePadding, planSample, readPlan, type SamplingConfig } from './sampling';

const clipArb = fc.record({
  numFrames: fc.integer({ min: 1, max: 600 }),
  fps: fc.constantFrom(5, 12, 24, 25, 29.97, 30, 60),
});
const cfgArb = fc.record({
  strategy: fc.constantFrom(...STRATEGIES),
  numFrames: fc.integer({ min: 1, max: 64 }),
  stride: fc.integer({ min: 1, max: 16 }),
  chunks: fc.integer({ min: 1, max: 8 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  start: fc.integer({ min: 0, max: 700 }),
  shortClip: fc.constantFrom('repeat-last' as const, 'loop' as const),
  denseCap: fc.integer({ min: 1, max: 128 }),
});
const timing = (c: { numFrames: number; fps: number }) => ({ durationS: c.numFrames / c.fps, fps: c.fps });

describe('planSample', () => {
  it('derives the frame count from duration × fps without rounding loss', () => {
    expect(clipFrameCount({ durationS: 2, fps: 30 })).toBe(60);
    expect(clipFrameCount({ durationS: 0.01, fps: 30 })).toBe(1);
    expect(clipFrameCount({ durationS: 60, fps: 29.97 })).toBe(1798);
    fc.assert(fc.property(clipArb, (c) => clipFrameCount(timing(c)) === c.numFrames));
  });

  it('indices are whole, in range, and count = T (K·T for chunks, ≤ cap for dense)', () => {
    fc.assert(
      fc.property(clipArb, cfgArb, (c, cfg) => {
        const p = planSample(timing(c), cfg);
        const n = c.numFrames;
        expect(p.numClipFrames).toBe(n);
        for (const i of p.frameIdx) expect(Number.isInteger(i) && i >= 0 && i < n).toBe(true);
        if (cfg.strategy === 'dense') {
          expect(p.frameIdx.length).toBe(Math.min(n - Math.min(cfg.start, n - 1), cfg.denseCap));
        } else {
          const k = cfg.strategy === 'chunks' ? cfg.chunks : 1;
          expect(p.chunks.length).toBe(k);
          for (const ch of p.chunks) expect(ch.length).toBe(cfg.numFrames);
          expect(p.frameIdx.length).toBe(k * cfg.numFrames);
        }
        expect(p.timesS.length).toBe(p.frameIdx.length);
        expect(p.seekS.length).toBe(p.frameIdx.length);
        for (const s of p.seekS) expect(s >= 0 && s < c.numFrames / c.fps).toBe(true);
      }),
    );
  });

  it('each chunk is ordered (non-decreasing) unless the clip loops', () => {
    fc.assert(
      fc.property(clipArb, cfgArb, (c, cfg) => {
        const p = planSample(timing(c), cfg);
        if (cfg.shortClip === 'loop' && p.padded > 0) return;
        for (const ch of p.chunks) for (let i = 1; i < ch.length; i++) expect(ch[i]).toBeGreaterThanOrEqual(ch[i - 1]);
      }),
    );
  });

  it('the stride is respected wherever the window fits in the clip', () => {
    fc.assert(
      fc.property(clipArb, cfgArb, (c, cfg) => {
        fc.pre(cfg.strategy === 'uniform' || cfg.strategy === 'random-crop' || cfg.strategy === 'chunks');
        const p = planSample(timing(c), cfg);
        if (p.padded > 0) return;
        for (const ch of p.chunks) for (let i = 1; i < ch.length; i++) expect(ch[i] - ch[i - 1]).toBe(cfg.stride);
      }),
    );
  });

  it('a short clip repeats its last frame or loops, and says how many frames were padded', () => {
    const clip = { durationS: 10 / 30, fps: 30 }; // 10 frames
    const rep = planSample(clip, { strategy: 'uniform', numFrames: 8, stride: 2, shortClip: 'repeat-last' });
    expect(rep.frameIdx).toEqual([0, 2, 4, 6, 8, 9, 9, 9]);
    expect(rep.padded).toBe(3);
    expect(describePadding(rep, 'repeat-last')).toBe('The clip has 10 frames, fewer than the window of 15: 3 sampled frames repeated the last frame.');
    const loop = planSample(clip, { strategy: 'uniform', numFrames: 8, stride: 2, shortClip: 'loop' });
    expect(loop.frameIdx).toEqual([0, 2, 4, 6, 8, 0, 2, 4]);
    expect(describePadding(planSample(clip, { numFrames: 2 }), 'loop')).toBeNull();
  });

  it('a one-frame clip gives T copies of frame 0 under every strategy', () => {
    for (const strategy of STRATEGIES) {
      const p = planSample({ durationS: 0.04, fps: 25 }, { strategy, numFrames: 4, chunks: 2 });
      expect(new Set(p.frameIdx)).toEqual(new Set([0]));
      expect(p.seekS.every((s) => s < 0.04)).toBe(true);
    }
  });

  it('random crop: same seed, same crop; the crop lies inside the clip', () => {
    fc.assert(
      fc.property(clipArb, cfgArb, (c, cfg) => {
        const rc: Partial<SamplingConfig> = { ...cfg, strategy: 'random-crop' };
        expect(planSample(timing(c), rc).frameIdx).toEqual(planSample(timing(c), rc).frameIdx);
      }),
    );
    const clip = { durationS: 10, fps: 30 };
    const starts = new Set(Array.from({ length: 20 }, (_, seed) => planSample(clip, { strategy: 'random-crop', seed }).frameIdx[0]));
    expect(starts.size).toBeGreaterThan(10); // different seeds really move the crop
  });

  it('K chunks cover the clip: the first starts at frame 0, the last ends at the last frame', () => {
    fc.assert(
      fc.property(clipArb, cfgArb, (c, cfg) => {
        fc.pre(cfg.chunks >= 2);
        const p = planSample(timing(c), { ...cfg, strategy: 'chunks' });
        const span = (cfg.numFrames - 1) * cfg.stride + 1;
        if (span > c.numFrames) return;
        expect(p.chunks[0][0]).toBe(0);
        expect(p.chunks[cfg.chunks - 1][cfg.numFrames - 1]).toBe(c.numFrames - 1);
        for (let k = 1; k < p.chunks.length; k++) expect(p.chunks[k][0]).toBeGreaterThanOrEqual(p.chunks[k - 1][0]);
      }),
    );
  });

  it('spread covers the whole clip evenly', () => {
    expect(planSample({ durationS: 10, fps: 10 }, { strategy: 'spread', numFrames: 4 }).frameIdx).toEqual([12, 37, 62, 87]);
    fc.assert(
      fc.property(clipArb, fc.integer({ min: 1, max: 64 }), (c, t) => {
        fc.pre(t <= c.numFrames);
        const idx = planSample(timing(c), { strategy: 'spread', numFrames: t }).frameIdx;
        expect(new Set(idx).size).toBe(t); // all distinct when the clip has enough frames
        expect(idx[0]).toBeLessThan(Math.ceil(c.numFrames / t));
      }),
    );
  });

  it('seeks land inside the sampled frame’s display interval', () => {
    const p = planSample({ durationS: 4, fps: 25 }, { strategy: 'uniform', numFrames: 16, stride: 3, start: 5 });
    p.frameIdx.forEach((i, j) => {
      expect(p.seekS[j]).toBeGreaterThan(i / 25);
      expect(p.seekS[j]).toBeLessThan((i + 1) / 25);
      expect(p.timesS[j]).toBeCloseTo(i / 25, 9);
    });
  });

  it('invalid settings fail with a message naming the setting', () => {
    expect(() => planSample({ durationS: 1, fps: 30 }, { numFrames: 0 })).toThrow(/numFrames \(T\)/);
    expect(() => planSample({ durationS: 1, fps: 30 }, { stride: 1.5 })).toThrow(/stride/);
    expect(() => planSample({ durationS: 0, fps: 30 })).toThrow(/duration/);
    expect(() => planSample({ durationS: 1, fps: NaN })).toThrow(/frame rate/);
  });
});

describe('readPlan: reading the frames a plan stored', () => {
  it('uniform, spread, chunks and random-crop read back exactly the frames and chunks the plan took', () => {
    fc.assert(
      fc.property(clipArb, cfgArb.filter((c) => c.strategy !== 'dense'), (clip, cfg) => {
        // The page plans over the clip and stores plan.frameIdx in order; the worker reads them.
        const plan = planSample(timing(clip), cfg);
        const stored = plan.frameIdx;
        for (const purpose of ['train', 'eval'] as const) {
          const windows = readPlan(stored.length, cfg.numFrames, cfg, purpose, cfg.seed + 1);
          expect(windows.map((w) => w.map((j) => stored[j]))).toEqual(plan.chunks);
        }
      }),
    );
  });

  it('a sample longer than T: random crops are fresh for every seed, validation takes the centred window, dense is read as K chunks', () => {
    const read = { strategy: 'random-crop' as const, chunks: 3 };
    const starts = new Set(Array.from({ length: 40 }, (_, seed) => readPlan(30, 4, read, 'train', seed)[0][0]));
    expect(starts.size).toBeGreaterThan(10);
    for (const seed of [0, 1, 2]) expect(readPlan(30, 4, read, 'train', seed)).toEqual(planSample({ durationS: 30, fps: 1, numFrames: 30 }, { strategy: 'random-crop', numFrames: 4, stride: 1, seed }).chunks);
    expect(readPlan(30, 4, read, 'eval', 5)).toEqual([[13, 14, 15, 16]]);
    expect(readPlan(30, 4, { strategy: 'dense', chunks: 3 }, 'eval', 5)).toEqual([[0, 1, 2, 3], [13, 14, 15, 16], [26, 27, 28, 29]]);
    expect(readPlan(10, 4, { strategy: 'uniform', chunks: 3 }, 'eval', 5)).toEqual([[0, 1, 2, 3]]);
    expect(() => readPlan(3, 4, read, 'eval', 1)).toThrow(/holds 3 frames but the model takes 4/);
  });

  it('sampling settings from a request are checked, with plain words', () => {
    for (const strategy of STRATEGIES) expect(() => checkSampleRead({ strategy, chunks: 3 })).not.toThrow();
    expect(() => checkSampleRead(undefined)).toThrow(/no sampling settings/);
    expect(() => checkSampleRead({ strategy: 'zigzag' as never, chunks: 3 })).toThrow(/“zigzag” is not one of uniform, spread, random-crop, chunks, dense/);
    for (const chunks of [0, 1.5, MAX_CHUNKS + 1, NaN]) expect(() => checkSampleRead({ strategy: 'chunks', chunks })).toThrow(/chunks K must be a whole number from 1 to 16/);
  });
});

describe('centreCrop', () => {
  it('keeps the aspect and centres the crop', () => {
    expect(centreCrop(320, 180, 112, 112)).toEqual({ sx: 70, sy: 0, sw: 180, sh: 180 });
    expect(centreCrop(180, 320, 64, 64)).toEqual({ sx: 0, sy: 70, sw: 180, sh: 180 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 448 }), fc.integer({ min: 1, max: 448 }), (w, h, ow, oh) => {
        const r = centreCrop(w, h, ow, oh);
        expect(r.sx).toBeGreaterThanOrEqual(-1e-9);
        expect(r.sy).toBeGreaterThanOrEqual(-1e-9);
        expect(r.sx + r.sw).toBeLessThanOrEqual(w + 1e-9);
        expect(r.sy + r.sh).toBeLessThanOrEqual(h + 1e-9);
        expect(r.sw / r.sh).toBeCloseTo(ow / oh, 6);
        expect(Math.max(Math.abs(r.sw - w), Math.abs(r.sh - h)) < 1e-6 || Math.min(Math.abs(r.sw - w), Math.abs(r.sh - h)) < 1e-6).toBe(true);
      }),
    );
  });
});
