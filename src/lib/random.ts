// A tiny seeded PRNG (mulberry32) and the few helpers built on it. Everything random in the data
// pipeline and the training loop draws from one of these, so a seed in the URL reproduces a run.

export type Rng = () => number;

/** mulberry32: 32-bit state, period 2^32, uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A child seed derived from a seed and a label, so independent streams do not overlap. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Uniform in [lo, hi). */
export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

/** Integer in [lo, hi] inclusive. */
export const randInt = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** Fisher–Yates shuffle in place; returns the array. */
export function shuffleInPlace<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** A random permutation of 0 … n−1. */
export const permutation = (n: number, rng: Rng): number[] => shuffleInPlace(Array.from({ length: n }, (_, i) => i), rng);

/**
 * Run `fn` with Math.random replaced by `rng`. tfjs draws unseeded initialisers and dropout masks
 * from Math.random, so a seeded build/step is reproducible. `fn` must be synchronous.
 */
export function withMathRandom<T>(rng: Rng, fn: () => T): T {
  const saved = Math.random;
  Math.random = rng;
  try {
    return fn();
  } finally {
    Math.random = saved;
  }
}
