// The lesson, part 2: models that see the order of frames learn an order-only task
// (order-direction: both classes use the same frames) to ≥ 90% validation accuracy.
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../models/registry';
import type { FamilyId } from '../models/family-info';
import { installFastCpuKernels } from '../test/fast-cpu-kernels';
import { runLesson } from '../test/lesson';
import { KNOWN_SHORT, LESSON_TIMEOUT_MS, lessonConfig, lessonLine } from '../test/lesson-setup';

installFastCpuKernels();

/** Skipped while the family is not in the zoo; expected to fail while it is KNOWN_SHORT. */
const pick = (family: FamilyId, task: string) =>
  !FAMILIES[family] ? it.skip : KNOWN_SHORT[`${family}/${task}`] ? it.fails : it;

describe('lesson: temporal models learn order', () => {
  for (const family of ['early-fusion', 'conv3d', 'two-stream', 'cnn-rnn', 'transformer'] as const)
    pick(family, 'order-direction')(
      `${family} reaches ≥ 90% on order-direction${KNOWN_SHORT[`${family}/order-direction`] ? ' (known short, see KNOWN_SHORT)' : ''}`,
      async () => {
        const r = await runLesson(lessonConfig(family, 'order-direction'));
        console.log(lessonLine(family, 'order-direction', r));
        expect(r.valAcc).toBeGreaterThanOrEqual(0.9);
      },
      LESSON_TIMEOUT_MS,
    );
});
