import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { benchFlow } from './flow-bench';

describe('flow benchmark', () => {
  it('times flow on the current backend', async () => {
    const before = tf.memory().numTensors;
    const r = await benchFlow({ numFrames: 3, size: 32, repeats: 1 });
    expect(r.backend).toBe('cpu');
    expect(r.runsMs.length).toBe(1);
    expect(r.medianMs).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
