// One lesson experiment, end to end and headless: a synthetic task from a seed, a family's
// preset built through the registry, the shared training loop, the final validation accuracy.
// The lesson tests (Node, CPU backend) and the benchmark call this; the app does the same
// through the worker's requests.

import type { TaskId } from '../data/synthetic/task-info';
import type { FamilyId } from '../models/family-info';
import { findPreset } from '../models/registry';
import { syntheticData } from '../training/datasets';
import { TrainLoop, type EpochProgress, type TrainConfig } from '../training/train-loop';

export interface LessonConfig {
  family: FamilyId;
  preset?: string; // default 'tiny'
  /** Fields replacing the preset's config (a tuned tiny config); none by default. */
  configOverride?: Record<string, unknown>;
  task: TaskId;
  seed: number;
  numFrames: number; // default clip for lessons: 8 × 16 × 16
  size: number;
  trainPerClass: number;
  valPerClass: number;
  noise?: number;
  objectScale?: number;
  train: Omit<TrainConfig, 'seed'>;
}

export interface LessonResult {
  valAcc: number;
  history: EpochProgress[];
  msPerStep: number;
  totalMs: number;
}

/** Train `family` on `task` and report the validation accuracy after the last epoch. */
export async function runLesson(c: LessonConfig): Promise<LessonResult> {
  const t0 = performance.now();
  const data = syntheticData({
    task: c.task,
    seed: c.seed,
    numFrames: c.numFrames,
    height: c.size,
    width: c.size,
    noise: c.noise,
    objectScale: c.objectScale,
    trainPerClass: c.trainPerClass,
    valPerClass: c.valPerClass,
  });
  const { family, preset } = findPreset(c.preset ? `${c.family}:${c.preset}` : c.family);
  const config = { ...(preset.config as Record<string, unknown>), ...c.configOverride };
  const clip = {
    numFrames: c.numFrames,
    height: c.size,
    width: c.size,
    channels: 3,
    numClasses: data.classNames.length,
  };
  const history: EpochProgress[] = [];
  let stepMs = 0;
  let steps = 0;
  const loop = new TrainLoop({
    build: () => family.build(config, clip),
    data,
    config: { ...c.train, seed: c.seed },
    callbacks: {
      onEpoch: (e) => history.push(e),
      onBatch: (b) => {
        if (b.step > 1) {
          stepMs += b.msPerStep;
          steps++;
        }
      },
    },
    yieldFn: async () => {},
  });
  try {
    await loop.play();
    if (loop.status !== 'done')
      throw new Error(`The ${c.family} lesson ended ${loop.status}: ${loop.error ?? ''}`);
  } finally {
    await loop.dispose();
  }
  return {
    valAcc: history[history.length - 1].valAcc,
    history,
    msPerStep: steps ? stepMs / steps : 0,
    totalMs: performance.now() - t0,
  };
}
