// A family's training recipe: the data and training settings that make its `tiny` preset reach
// the lesson's bar on the synthetic tasks (≥ 90% on order-direction for a temporal family,
// ≤ 65% for single-frame and late fusion, which cannot see order). Plain data, no tfjs.
//
// One source: the app loads a family's recipe when the family is chosen (state/url-state.ts
// defaults), the lesson tests and the bench's train-to-verdict group read the same objects
// (src/test/lesson-setup.ts). Field names are the link's keys (state/url-state.ts).
//
// Measured on seed 1, order-direction, in Node (tfjs CPU) and on WebGPU (SwiftShader): the
// numbers behind each family's choice are in the comment on its recipe (models/presets/<family>.ts).

import type { Augment } from '../../training/augment';

export interface Recipe {
  frames: number; // T, frames per clip
  size: number; // H = W, frame side in pixels
  clips: number; // training clips per class (synthetic tasks)
  valclips: number; // validation clips per class
  noise: number; // pixel noise of the synthetic clips (std of a 0–1 image)
  objsize: number; // object size, × the task's default
  optimizer: 'adam' | 'sgd';
  lr: number; // learning rate
  batch: number;
  epochs: number;
  wd: number; // weight decay: λ of the L2 penalty on kernels (0: none)
  augment: Augment; // training-clip augmentation (training/augment.ts)
}

/** The shared lesson: 8 × 16 × 16 clips, 32 + 16 clips per class, Adam 0.003, batch 8, 6 epochs. */
export const LESSON_RECIPE: Recipe = {
  frames: 8,
  size: 16,
  clips: 32,
  valclips: 16,
  noise: 0.05,
  objsize: 1,
  optimizer: 'adam',
  lr: 0.003,
  batch: 8,
  epochs: 6,
  wd: 0,
  augment: 'none',
};
