// The single-frame family's config and presets, as plain data (single-frame.ts builds them).

import type { Preset } from '../types';
import { tinyClip } from './clips';
import { RESNET18_TRUNK, TINY_TRUNK, type Trunk2dConfig } from './trunk-2d';
import { LESSON_RECIPE, type Recipe } from './recipe';

export interface SingleFrameConfig {
  trunk: Trunk2dConfig; // default TINY_TRUNK: conv(8)-BN-ReLU-pool, conv(16)-BN-ReLU-pool, GAP
  dropout: number; // default 0: dropout rate before the classifier
  averageAtInference: boolean; // default false: inference also uses only the middle frame
}

export const defaultSingleFrameConfig: SingleFrameConfig = {
  trunk: TINY_TRUNK,
  dropout: 0,
  averageAtInference: false,
};

export const SINGLE_FRAME_PRESETS: Record<string, Preset<SingleFrameConfig>> = {
  tiny: {
    config: defaultSingleFrameConfig,
    clip: tinyClip(4),
    note: 'trains in seconds on 8×32×32 clips',
  },
  'tiny-average': {
    config: { ...defaultSingleFrameConfig, averageAtInference: true },
    clip: tinyClip(4),
    note: 'tiny, averaging every frame’s scores at inference',
  },
  'tiny-resnet': {
    config: {
      ...defaultSingleFrameConfig,
      trunk: { kind: 'resnet', stemWidth: 8, stageWidths: [8, 16], blocksPerStage: [1, 1] },
    },
    clip: tinyClip(4),
    note: 'resnet18’s blocks at toy width (7×7/2 stem, max pool, a plain and a strided BasicBlock): its kernels, trainable in seconds',
  },
  resnet18: {
    config: { trunk: RESNET18_TRUNK, dropout: 0, averageAtInference: false },
    clip: { numFrames: 1, height: 224, width: 224, channels: 3, numClasses: 1000 },
    paper: true,
    note: 'torchvision resnet18: 11,689,512 parameters, 1.82 GMACs at 224×224',
  },
};

/**
 * The baseline's recipe is the shared lesson: the verdict compares every temporal family with a
 * single-frame run on the same data, so its data settings are the other families' defaults too.
 */
export const SINGLE_FRAME_RECIPE: Recipe = LESSON_RECIPE;
