// The early-fusion family's config and presets, as plain data (early-fusion.ts builds them).

import type { Preset } from '../types';
import { KINETICS_16X112, tinyClip } from './clips';
import { RESNET18_TRUNK, TINY_TRUNK, type Trunk2dConfig } from './trunk-2d';
import { LESSON_RECIPE, type Recipe } from './recipe';

export interface EarlyFusionConfig {
  trunk: Trunk2dConfig; // default TINY_TRUNK; its first conv takes 3·T channels
  dropout: number; // default 0: dropout rate before the classifier
}

export const defaultEarlyFusionConfig: EarlyFusionConfig = { trunk: TINY_TRUNK, dropout: 0 };

export const EARLY_FUSION_PRESETS: Record<string, Preset<EarlyFusionConfig>> = {
  tiny: {
    config: defaultEarlyFusionConfig,
    clip: tinyClip(4),
    note: 'trains in seconds on 8×32×32 clips',
  },
  early_fusion_r18: {
    config: { trunk: RESNET18_TRUNK, dropout: 0 },
    clip: KINETICS_16X112,
    paper: true,
    note: 'torchvision resnet18 with a 48-channel conv1 (16 frames × RGB), Kinetics-400 scale: compare with r3d_18',
  },
};

/** The shared lesson: time in the first layer's channels is enough for order-direction (val 1.00 by epoch 6). */
export const EARLY_FUSION_RECIPE: Recipe = LESSON_RECIPE;
