// The lesson, part 2: models that see the order of frames learn an order-only task
// (order-direction: both classes use the same frames) to ≥ 90% validation accuracy.
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../models/registry';
import { installFastCpuKernels } from '../test/fast-cpu-kernels';
import { runLesson } from './lesson';
import { lessonConfig, lessonLine } from './lesson-setup';

installFastCpuKernels();

describe('lesson: temporal models learn order', () => {
  for (const family of ['conv3d', 'cnn-rnn', 'transformer'] as const)
    it.skipIf(!FAMILIES[family])(`${family} reaches ≥ 90% on order-direction`, async () => {
      const r = await runLesson(lessonConfig(family, 'order-direction'));
      console.log(lessonLine(family, 'order-direction', r));
      expect(r.valAcc).toBeGreaterThanOrEqual(0.9);
    });
});
