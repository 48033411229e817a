import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulberry32 } from '../lib/random';
import { planSample, STRATEGIES, type SampleRead } from '../data/sampling';
import { ownClipsData, splitByClip, syntheticData, type OwnClass, type SampledFrames } from './datasets';

/** A stored clip whose frame t has every byte equal to frames[t] (default t), so a read's frames are readable. */
function stored(clipId: string, numFrames: number, size = 4, frames = Array.from({ length: numFrames }, (_, t) => t)): SampledFrames {
  const rgba = new Uint8ClampedArray(numFrames * size * size * 4);
  for (let t = 0; t < numFrames; t++) rgba.fill(frames[t], t * size * size * 4, (t + 1) * size * size * 4);
  return { clipId, numFrames, height: size, width: size, rgba };
}

/** The frame values of an example [T, H, W, 3] (each frame constant). */
const framesOf = (buf: Float32Array, t: number) => Array.from({ length: t }, (_, i) => Math.round(buf[(i * buf.length) / t] * 255));

const RANDOM_CROPS: SampleRead = { strategy: 'random-crop', chunks: 3 };

const classesArb = fc
  .array(fc.integer({ min: 2, max: 9 }), { minLength: 2, maxLength: 5 })
  .map((counts) => counts.map((n, c): OwnClass => ({ name: `class ${c}`, clipIds: Array.from({ length: n }, (_, i) => `c${c}-${i}`) })));

describe('your own clips: split by clip', () => {
  it('no clip is on both sides, every clip is used once, every class is on both sides', () => {
    fc.assert(
      fc.property(classesArb, fc.double({ min: 0, max: 0.9, noNaN: true }), fc.integer(), (classes, frac, seed) => {
        const { train, val } = splitByClip(classes, frac, seed);
        const trainIds = new Set(train.map((c) => c.clipId));
        for (const v of val) expect(trainIds.has(v.clipId)).toBe(false);
        expect(train.length + val.length).toBe(classes.reduce((a, c) => a + c.clipIds.length, 0));
        for (let k = 0; k < classes.length; k++) {
          expect(train.some((c) => c.label === k)).toBe(true);
          expect(val.some((c) => c.label === k)).toBe(true);
        }
      }),
    );
  });

  it('crops never leak: every training example comes from a training clip, every validation example from a held-out clip', () => {
    // Each clip gets a unique constant brightness offset so examples reveal their clip.
    const classes: OwnClass[] = [
      { name: 'a', clipIds: ['a1', 'a2', 'a3', 'a4'] },
      { name: 'b', clipIds: ['b1', 'b2', 'b3'] },
    ];
    const ids = classes.flatMap((c) => c.clipIds);
    const clips = new Map(ids.map((id, k) => [id, (() => {
      const f = stored(id, 10);
      for (let i = 0; i < f.rgba.length; i++) f.rgba[i] = 100 + 10 * k + (f.rgba[i] % 10);
      return f;
    })()]));
    const { data } = ownClipsData({ classes, numFrames: 4, height: 4, width: 4, seed: 7, read: RANDOM_CROPS, readsPerClip: 5 }, (id) => clips.get(id)!);
    const split = splitByClip(classes, 0.25, 7);
    const clipOf = (v: number) => ids[Math.floor((Math.round(v * 255) - 100) / 10)];
    const per = 4 * 4 * 4 * 3;
    const buf = new Float32Array(per);
    const rng = mulberry32(1);
    const seenTrain = new Set<string>();
    for (let i = 0; i < data.train.size; i++) {
      data.train.fill(i, buf, 0, rng);
      const id = clipOf(buf[0]);
      seenTrain.add(id);
      expect(split.train.map((c) => c.clipId)).toContain(id);
      expect(data.train.labels[i]).toBe(classes.findIndex((c) => c.clipIds.includes(id)));
    }
    expect(seenTrain.size).toBe(split.train.length);
    for (let i = 0; i < data.val.size; i++) {
      data.val.fill(i, buf, 0, rng);
      expect(split.val.map((c) => c.clipId)).toContain(clipOf(buf[0]));
    }
  });

  it('random crops: training crops start at random places; validation uses the centre crop', () => {
    const classes: OwnClass[] = [
      { name: 'a', clipIds: ['a1', 'a2'] },
      { name: 'b', clipIds: ['b1', 'b2'] },
    ];
    const { data } = ownClipsData({ classes, numFrames: 3, height: 2, width: 2, seed: 1, read: RANDOM_CROPS, readsPerClip: 30 }, (id) => stored(id, 10));
    const buf = new Float32Array(3 * 2 * 2 * 3);
    const rng = mulberry32(3);
    const starts = new Set<number>();
    for (let i = 0; i < data.train.size; i++) {
      data.train.fill(i, buf, 0, rng);
      const s = Math.round(buf[0] * 255);
      starts.add(s);
      expect(Math.round(buf[buf.length - 1] * 255)).toBe(s + 2); // consecutive frames
    }
    expect(starts.size).toBeGreaterThan(4);
    expect(Math.max(...starts)).toBeLessThanOrEqual(7);
    data.val.fill(0, buf, 0, rng);
    expect(Math.round(buf[0] * 255)).toBe(3); // floor((10 − 3) / 2)
  });

  it('every strategy reads exactly the frames the sampling plan stored: training cycles through its chunks, validation takes them all', () => {
    const classes: OwnClass[] = [
      { name: 'a', clipIds: ['a1', 'a2'] },
      { name: 'b', clipIds: ['b1', 'b2'] },
    ];
    for (const strategy of STRATEGIES.filter((s) => s !== 'dense'))
      for (const clipFrames of [7, 40]) {
        // The page's plan over a clip of `clipFrames` frames; the worker stores the frames it took.
        const cfg = { strategy, numFrames: 4, stride: 3, chunks: 3, seed: 5 };
        const plan = planSample({ durationS: clipFrames / 10, fps: 10 }, cfg);
        const { data } = ownClipsData({ classes, numFrames: 4, height: 2, width: 2, seed: 1, read: { strategy, chunks: 3 }, readsPerClip: 6 }, (id) => stored(id, plan.frameIdx.length, 2, plan.frameIdx));
        const buf = new Float32Array(4 * 2 * 2 * 3);
        const reads = (set: typeof data.train) =>
          Array.from({ length: set.size }, (_, i) => {
            set.fill(i, buf, 0, mulberry32(i));
            return framesOf(buf, 4);
          });
        const k = plan.chunks.length;
        expect(reads(data.val)).toEqual([...plan.chunks, ...plan.chunks]); // two held-out clips
        // Example i reads clip i mod 2's chunk ⌊i / 2⌋ mod K.
        expect(reads(data.train)).toEqual(Array.from({ length: 12 }, (_, i) => plan.chunks[Math.floor(i / 2) % k]));
      }
  });

  it('dense samples: training takes random windows of T, validation K chunks over the frames', () => {
    const classes: OwnClass[] = [
      { name: 'a', clipIds: ['a1', 'a2'] },
      { name: 'b', clipIds: ['b1', 'b2'] },
    ];
    const { data } = ownClipsData({ classes, numFrames: 4, height: 2, width: 2, seed: 1, read: { strategy: 'dense', chunks: 2 } }, (id) => stored(id, 20));
    const buf = new Float32Array(4 * 2 * 2 * 3);
    expect(data.val.size).toBe(4);
    data.val.fill(1, buf, 0, mulberry32(0));
    expect(framesOf(buf, 4)).toEqual([16, 17, 18, 19]);
    const rng = mulberry32(2);
    const starts = new Set(Array.from({ length: data.train.size }, (_, i) => (data.train.fill(i, buf, 0, rng), framesOf(buf, 4)[0])));
    expect(starts.size).toBeGreaterThan(3);
  });

  it('clear messages for unusable classes and clips', () => {
    expect(() => splitByClip([{ name: 'only', clipIds: ['x', 'y'] }], 0.25, 1)).toThrow(/at least 2 classes/);
    expect(() => splitByClip([{ name: 'a', clipIds: ['x'] }, { name: 'b', clipIds: ['y', 'z'] }], 0.25, 1)).toThrow(/“a” has 1 clip: add at least 2/);
    expect(() => splitByClip([{ name: 'a', clipIds: ['x', 'y'] }, { name: 'b', clipIds: ['y', 'z'] }], 0.25, 1)).toThrow(/more than one class/);
    const classes: OwnClass[] = [{ name: 'a', clipIds: ['a1', 'a2'] }, { name: 'b', clipIds: ['b1', 'b2'] }];
    expect(() => ownClipsData({ classes, numFrames: 8, height: 4, width: 4, seed: 1, read: RANDOM_CROPS }, (id) => stored(id, 5))).toThrow(/has 5 sampled frames but the model takes 8/);
  });
});

describe('synthetic data', () => {
  it('train and validation clips differ (independent seeds)', () => {
    const d = syntheticData({ task: 'order-direction', seed: 1, numFrames: 4, height: 10, width: 10, trainPerClass: 3, valPerClass: 3 });
    const per = 4 * 10 * 10 * 3;
    const a = new Float32Array(per);
    const b = new Float32Array(per);
    const rng = mulberry32(0);
    for (let i = 0; i < d.train.size; i++) {
      d.train.fill(i, a, 0, rng);
      for (let j = 0; j < d.val.size; j++) {
        d.val.fill(j, b, 0, rng);
        expect(a).not.toEqual(b);
      }
    }
  });
});
