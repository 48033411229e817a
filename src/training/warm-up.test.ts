import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../models/registry';
import { buildSeeded } from './probe';
import { warmUpTraining } from './warm-up';

describe('training warm-up', () => {
  it('takes one throwaway step on a clone and frees everything it made', async () => {
    const { family, preset } = findPreset('two-stream:tiny');
    const before = tf.memory().numTensors;
    const r = await warmUpTraining(() => buildSeeded(family, preset.config, preset.clip, 3), preset.clip, 2, 'adam');
    expect(r.ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    await warmUpTraining(() => buildSeeded(family, preset.config, preset.clip, 3), preset.clip, 1, 'sgd');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a batch that is not a whole number ≥ 1', async () => {
    const { family, preset } = findPreset('single-frame:tiny');
    await expect(warmUpTraining(() => buildSeeded(family, preset.config, preset.clip, 3), preset.clip, 0, 'adam')).rejects.toThrow(/whole number ≥ 1, got 0/);
  });
});
