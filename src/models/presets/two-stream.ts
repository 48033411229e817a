// The two-stream family's configs (RGB + motion streams, and the SlowFast variant) and presets,
// as plain data (two-stream.ts and slowfast.ts build them).

import type { Preset } from '../types';
import { tinyClip } from './clips';
import { LESSON_RECIPE, type Recipe } from './recipe';

export interface TwoStreamNetConfig {
  variant: 'two-stream';
  motion: 'flow' | 'frame-diff'; // 'flow': L optical flows (2·L channels); 'frame-diff': T−1 frame differences
  numFlows: number; // 0: flows stacked L ≤ T − 1, 0 = every pair (T − 1) (Simonyan & Zisserman use 10); ignored by frame-diff
  rgb: 'middle' | 'all'; // 'middle': the RGB stream sees the middle frame; 'all': every frame, features averaged
  widths: number[]; // [8, 16]: conv channels per stage of each stream
  kernelSize: number; // 3
  fusion: 'average' | 'learned'; // 'average': mean of the two streams' softmax scores; 'learned': fc on both features
  dropout: number; // 0: before each classifier
}

export interface SlowFastConfig {
  variant: 'slowfast';
  alpha: number; // 8: the fast pathway sees α times more frames than the slow one
  betaInv: number; // 8: fast channels = slow channels / β_inv (β = 1/8)
  fusionRatio: number; // 2: a lateral conv outputs fusionRatio × the fast channels
  fusionKernel: number; // 5: temporal kernel of the lateral conv
  stemWidth: number; // 64: slow stem channels
  stemKernel: number; // 7: spatial kernel of the stems
  stemTemporal: [number, number]; // [1, 5]: temporal kernel of the slow and fast stems
  widthPerGroup: number; // 64: inner width of the first stage (doubles every stage)
  blocks: number[]; // [3, 4, 6, 3]: bottleneck blocks per stage (ResNet-50)
  slowTemporal: number[]; // [1, 1, 3, 3]: slow temporal kernel per stage
  fastTemporal: number[]; // [3, 3, 3, 3]: fast temporal kernel per stage
  spatialStrides: number[]; // [1, 2, 2, 2]: per stage
  stemPool: boolean; // true: 1×3×3 max-pool, stride 2, after each stem
  dropout: number; // 0.5 before the classifier
}

export type TwoStreamConfig = TwoStreamNetConfig | SlowFastConfig;

export const DEFAULT_TWO_STREAM: TwoStreamNetConfig = {
  variant: 'two-stream',
  motion: 'flow',
  numFlows: 0,
  rgb: 'middle',
  widths: [8, 16],
  kernelSize: 3,
  fusion: 'average',
  dropout: 0,
};

export const SLOWFAST_R50: SlowFastConfig = {
  variant: 'slowfast',
  alpha: 8,
  betaInv: 8,
  fusionRatio: 2,
  fusionKernel: 5,
  stemWidth: 64,
  stemKernel: 7,
  stemTemporal: [1, 5],
  widthPerGroup: 64,
  blocks: [3, 4, 6, 3],
  slowTemporal: [1, 1, 3, 3],
  fastTemporal: [3, 3, 3, 3],
  spatialStrides: [1, 2, 2, 2],
  stemPool: true,
  dropout: 0.5,
};

/** A tiny SlowFast for lectures: 8 frames (slow sees 2), two 1-block stages, a few channels. */
export const SLOWFAST_TINY: SlowFastConfig = {
  variant: 'slowfast',
  alpha: 4,
  betaInv: 4,
  fusionRatio: 2,
  fusionKernel: 3,
  stemWidth: 8,
  stemKernel: 3,
  stemTemporal: [1, 3],
  widthPerGroup: 4,
  blocks: [1, 1],
  slowTemporal: [1, 3],
  fastTemporal: [3, 3],
  spatialStrides: [1, 2],
  stemPool: true,
  dropout: 0,
};

export const TWO_STREAM_PRESETS: Record<string, Preset<TwoStreamConfig>> = {
  tiny: {
    config: DEFAULT_TWO_STREAM,
    clip: tinyClip(2),
    note: 'RGB (middle frame) + all 7 optical flows stacked (14 channels), scores averaged; 8×32×32.',
  },
  tiny_diff: {
    config: { ...DEFAULT_TWO_STREAM, motion: 'frame-diff' },
    clip: tinyClip(2),
    note: 'Motion stream on 7 frame differences instead of optical flow.',
  },
  tiny_learned: {
    config: { ...DEFAULT_TWO_STREAM, rgb: 'all', fusion: 'learned' },
    clip: tinyClip(2),
    note: 'RGB on every frame (averaged) + flow, learned fusion layer.',
  },
  tiny_slowfast: {
    config: SLOWFAST_TINY,
    clip: tinyClip(2),
    note: 'SlowFast: slow 2 frames × 8 channels, fast 8 frames × 2 channels, α = β⁻¹ = 4.',
  },
  slowfast_r50: {
    config: SLOWFAST_R50,
    clip: { numFrames: 32, height: 224, width: 224, channels: 3, numClasses: 400 },
    paper: true,
    note: 'SlowFast 4×16 R50 (PySlowFast SLOWFAST_4x16_R50, Kinetics-400): 34,480,216 parameters.',
  },
};

/** The shared lesson: the flow stream sees the direction of motion at once (val 1.00 by epoch 6). */
export const TWO_STREAM_RECIPE: Recipe = LESSON_RECIPE;
