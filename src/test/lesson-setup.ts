// The lesson tests' experiment: the default `tiny` preset of each family, built through the
// registry, trained by the shared loop on a synthetic task from a fixed seed, with the family's
// recipe (models/presets/recipe.ts) — the very settings the app loads when the family is chosen,
// so the unit tests, the e2e lesson and the bench's train-to-verdict run one experiment.

import type { TaskId } from '../data/synthetic/task-info';
import type { FamilyId } from '../models/family-info';
import type { LessonConfig } from './lesson';
import { recipeFor } from '../models/catalog';

export const LESSON_SEED = 1;
/** Per-experiment test timeout: the longest takes ~100 s alone on 2 cores, and CI shares them. */
export const LESSON_TIMEOUT_MS = 600_000;

/** The lesson experiment of `family` on `task`: its recipe (models/presets/<family>.ts), the one the app loads. */
export function lessonConfig(family: FamilyId, task: TaskId): LessonConfig {
  const r = recipeFor(family);
  return {
    family,
    task,
    seed: LESSON_SEED,
    numFrames: r.frames,
    size: r.size,
    trainPerClass: r.clips,
    valPerClass: r.valclips,
    noise: r.noise,
    objectScale: r.objsize,
    train: { optimizer: r.optimizer, learningRate: r.lr, batchSize: r.batch, epochs: r.epochs, weightDecay: r.wd, augment: r.augment },
  };
}

/** "val 0.50 0.56 … (train 0.61 …), 96 ms/step, 12.3 s" for the test log. */
export const lessonLine = (
  family: string,
  task: string,
  r: { history: { valAcc: number; trainAcc: number }[]; msPerStep: number; totalMs: number },
): string =>
  `lesson ${family} on ${task}: val ${r.history.map((h) => h.valAcc.toFixed(2)).join(' ')} (train ${r.history.map((h) => h.trainAcc.toFixed(2)).join(' ')}), ${r.msPerStep.toFixed(0)} ms/step, ${(r.totalMs / 1000).toFixed(1)} s`;

/**
 * Lesson bars the current `tiny` presets do not meet yet, with what was measured (seed 1,
 * 8 × 16 × 16, 32 + 16 clips per class, Adam 0.003, batch 8, 6 epochs, Node CPU). Their tests
 * run with `it.fails`: they go red the day the family meets the bar, so the entry gets removed.
 */
export const KNOWN_SHORT: Partial<Record<string, string>> = {};
