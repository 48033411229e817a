// The lesson, part 1: models that cannot see order stay at chance on an order-only task, and
// one frame is enough when the class is in the appearance. (Part 2: lesson-temporal.test.ts.)
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

describe('lesson: one frame, and order-blind fusion', () => {
  pick('single-frame', 'appearance-shape')(
    'single-frame reaches ≥ 90% on appearance-shape (one frame solves it)',
    async () => {
      const r = await runLesson(lessonConfig('single-frame', 'appearance-shape'));
      console.log(lessonLine('single-frame', 'appearance-shape', r));
      expect(r.valAcc).toBeGreaterThanOrEqual(0.9);
    },
    LESSON_TIMEOUT_MS,
  );

  for (const family of ['single-frame', 'late-fusion'] as const)
    it.skipIf(!FAMILIES[family])(
      `${family} stays ≤ 65% on order-direction (same frames, only order differs)`,
      async () => {
        const r = await runLesson(lessonConfig(family, 'order-direction'));
        console.log(lessonLine(family, 'order-direction', r));
        expect(r.valAcc).toBeLessThanOrEqual(0.65);
        // It did train: the loss is finite and the run finished every epoch.
        expect(r.history).toHaveLength(lessonConfig(family, 'order-direction').train.epochs);
        for (const h of r.history) expect(Number.isFinite(h.trainLoss)).toBe(true);
      },
      LESSON_TIMEOUT_MS,
    );
});
