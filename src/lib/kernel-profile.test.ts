import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { kernelTimes } from './kernel-profile';

describe('kernelTimes', () => {
  it('sums calls and time per kernel name, slowest first, from a real tf.profile', async () => {
    const x = tf.ones([4, 4]);
    const info = await tf.profile(() => {
      const y = x.add(x).mul(x).add(x); // Add ×2, Multiply ×1
      y.dispose();
    });
    x.dispose();
    const times = kernelTimes(info);
    const calls = Object.fromEntries(times.map((k) => [k.name, k.calls]));
    expect(calls).toMatchObject({ Add: 2, Multiply: 1 });
    expect(times.reduce((a, k) => a + k.calls, 0)).toBe(info.kernels.length);
    for (let i = 1; i < times.length; i++)
      expect(times[i - 1].ms).toBeGreaterThanOrEqual(times[i].ms);
  });

  it('counts a kernel whose time is an error as taking no time', () => {
    const info = {
      kernels: [
        { name: 'A', kernelTimeMs: { error: 'no timer' } },
        { name: 'A', kernelTimeMs: 2 },
      ],
    } as unknown as Parameters<typeof kernelTimes>[0];
    expect(kernelTimes(info)).toEqual([{ name: 'A', calls: 2, ms: 2 }]);
  });
});
