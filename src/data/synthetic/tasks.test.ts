import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TASK_IDS } from './task-info';
import { clipLength, clipToRgba, generateClips, ORDER_ONLY_TASKS, reachPose } from './tasks';

const OPTS = { numFrames: 6, height: 12, width: 14 };

/** A frame's bytes as a string key, so multisets of frames can be compared exactly. */
function frameKeys(set: ReturnType<typeof generateClips>, clip: number): string[] {
  const per = set.height * set.width * 3;
  const keys: string[] = [];
  for (let t = 0; t < set.numFrames; t++) {
    const off = clip * clipLength(set) + t * per;
    keys.push(Buffer.from(set.frames.buffer, set.frames.byteOffset + off * 4, per * 4).toString('base64'));
  }
  return keys;
}

function classMultiset(set: ReturnType<typeof generateClips>, label: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < set.numClips; i++) if (set.labels[i] === label) keys.push(...frameKeys(set, i));
  return keys.sort();
}

describe('synthetic tasks', () => {
  it.each(TASK_IDS)('%s: shapes, labels balanced, values in [0, 1], deterministic per seed', (task) => {
    const a = generateClips(task, 5, OPTS, 42);
    const b = generateClips(task, 5, OPTS, 42);
    const c = generateClips(task, 5, OPTS, 43);
    expect(a.numClips).toBe(10);
    expect(a.frames.length).toBe(10 * 6 * 12 * 14 * 3);
    expect([...a.labels].filter((l) => l === 0)).toHaveLength(5);
    expect([...a.labels].filter((l) => l === 1)).toHaveLength(5);
    let min = Infinity;
    let max = -Infinity;
    for (const v of a.frames) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max - min).toBeGreaterThan(0.3); // something is drawn
    expect(a.frames).toEqual(b.frames);
    expect(a.frames).not.toEqual(c.frames);
  });

  it.each(ORDER_ONLY_TASKS)('%s: the classes hold exactly the same multiset of frames', (task) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0, max: 0.3, noNaN: true }), (seed, noise) => {
        const set = generateClips(task, 4, { ...OPTS, noise }, seed);
        expect(classMultiset(set, 0)).toEqual(classMultiset(set, 1));
        // Pairwise too: clip 2k+1 is clip 2k backwards, and the clip is not a palindrome.
        for (let k = 0; k < 4; k++) {
          const fwd = frameKeys(set, 2 * k);
          const back = frameKeys(set, 2 * k + 1);
          expect(back).toEqual([...fwd].reverse());
          expect(back).not.toEqual(fwd);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('appearance-shape and motion-speed are not pairs of reversed clips', () => {
    for (const task of ['appearance-shape', 'motion-speed'] as const) {
      const set = generateClips(task, 3, OPTS, 1);
      expect(classMultiset(set, 0)).not.toEqual(classMultiset(set, 1));
    }
  });

  it('noise 0 gives a clean background; more noise spreads pixel values', () => {
    const clean = generateClips('motion-speed', 2, { ...OPTS, noise: 0 }, 3);
    const noisy = generateClips('motion-speed', 2, { ...OPTS, noise: 0.3 }, 3);
    // Corner pixel of frame 0 of clip 0 and its neighbour: equal when clean (flat background).
    expect(clean.frames[0]).toBeCloseTo(clean.frames[3], 6);
    const distinct = (xs: Float32Array) => new Set(Array.from(xs.subarray(0, 300), (v) => v.toFixed(3))).size;
    expect(distinct(noisy.frames)).toBeGreaterThan(distinct(clean.frames) * 3);
  });

  it('object size changes how many pixels the object covers', () => {
    const bright = (s: ReturnType<typeof generateClips>) => Array.from(s.frames.subarray(0, clipLength(s))).filter((v) => v > 0.5).length;
    const small = generateClips('appearance-shape', 1, { ...OPTS, noise: 0, objectScale: 0.5 }, 9);
    const big = generateClips('appearance-shape', 1, { ...OPTS, noise: 0, objectScale: 2 }, 9);
    expect(bright(big)).toBeGreaterThan(bright(small) * 2);
  });

  it('bad options say what is wrong', () => {
    expect(() => generateClips('rotation', 2, { ...OPTS, numFrames: 1 }, 1)).toThrow(/at least 2 frames/);
    expect(() => generateClips('rotation', 2, { ...OPTS, noise: 2 }, 1)).toThrow(/Noise/);
  });

  it('reach loop is continuous and visits both extremes', () => {
    expect(reachPose(0)).toEqual({ extension: 0, closure: 0 });
    expect(reachPose(0.25).extension).toBe(1);
    expect(reachPose(0.5)).toEqual({ extension: 1, closure: 1 });
    expect(reachPose(0.999).closure).toBeLessThan(0.01);
  });

  it('clipToRgba gives T·H·W·4 opaque bytes', () => {
    const set = generateClips('rotation', 1, OPTS, 5);
    const rgba = clipToRgba(set, 1);
    expect(rgba.length).toBe(6 * 12 * 14 * 4);
    expect(rgba[3]).toBe(255);
  });
});
