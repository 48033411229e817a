// The late-fusion family's config and presets, as plain data (late-fusion.ts builds them).

import type { Preset } from '../types';
import { KINETICS_16X112, tinyClip } from './clips';
import { RESNET18_TRUNK, TINY_TRUNK, type Trunk2dConfig } from './trunk-2d';
import { LESSON_RECIPE, type Recipe } from './recipe';

export interface LateFusionConfig {
  trunk: Trunk2dConfig; // default TINY_TRUNK, shared by all frames
  fusion: 'mean' | 'max'; // default 'mean': how the T feature vectors become one
  dropout: number; // default 0: dropout rate before the classifier
}

export const defaultLateFusionConfig: LateFusionConfig = {
  trunk: TINY_TRUNK,
  fusion: 'mean',
  dropout: 0,
};

export const LATE_FUSION_PRESETS: Record<string, Preset<LateFusionConfig>> = {
  tiny: {
    config: defaultLateFusionConfig,
    clip: tinyClip(4),
    note: 'trains in seconds on 8×32×32 clips',
  },
  'tiny-max': {
    config: { ...defaultLateFusionConfig, fusion: 'max' },
    clip: tinyClip(4),
    note: 'tiny, max over time',
  },
  late_fusion_r18: {
    config: { trunk: RESNET18_TRUNK, fusion: 'mean', dropout: 0 },
    clip: KINETICS_16X112,
    paper: true,
    note: 'torchvision resnet18 trunk per frame, mean over 16 frames, Kinetics-400 scale: compare with r3d_18',
  },
};

/** The shared lesson: late fusion cannot see order, so on order-direction it stays at chance whatever the schedule. */
export const LATE_FUSION_RECIPE: Recipe = LESSON_RECIPE;
