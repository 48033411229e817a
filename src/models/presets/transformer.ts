// The video transformer family's config and presets, as plain data (transformer.ts builds them).

import type { Preset } from '../types';
import { tinyClip } from './clips';
import { LESSON_RECIPE, type Recipe } from './recipe';

export type AttentionKind = 'joint' | 'divided' | 'factorised';

export interface TransformerConfig {
  attention: AttentionKind; // 'divided' (TimeSformer's best)
  patchSize: number; // 16: spatial patch side p
  tubeletFrames: number; // 1: frames per tubelet tt (ViViT uses 2)
  dim: number; // 768: token width D
  depth: number; // 12: blocks (factorised: spatial encoder blocks)
  temporalDepth: number; // 4: temporal encoder blocks (factorised only)
  heads: number; // 12
  mlpDim: number; // 3072 (4·D)
  pooling: 'cls' | 'mean'; // 'cls': a learned class token is read out; 'mean': average of all tokens
  layerNormEps: number; // 1e-6
}

export const DEFAULT_TRANSFORMER: TransformerConfig = {
  attention: 'divided',
  patchSize: 16,
  tubeletFrames: 1,
  dim: 768,
  depth: 12,
  temporalDepth: 4,
  heads: 12,
  mlpDim: 3072,
  pooling: 'cls',
  layerNormEps: 1e-6,
};

// Tiny presets embed 2×8×8 tubelets (ViViT's tubelet embedding) for every attention kind: the
// embedding then sees two consecutive frames, so a token can tell which way its patch moved.
// With per-frame patches (TimeSformer's embedding) the tiny models sat at chance on
// order-direction: at init the attention is near uniform over time, the two orders of a clip
// look alike, and 48–150 Adam steps did not leave that plateau (not even to overfit 16 clips);
// with 2-frame tubelets they overfit 16 clips in ~100 steps and learn the lesson. Patches stay
// 8×8 so a 32×32 clip is 4 × 16 tokens: 4×4 patches (4 × 64 tokens) learned as well but made a
// WebGPU step ~17× slower on SwiftShader (tfjs's BatchMatMul on 1,024 tiny 4×4 matrices).
const tiny = (attention: AttentionKind): TransformerConfig => ({
  ...DEFAULT_TRANSFORMER,
  attention,
  patchSize: 8,
  tubeletFrames: 2,
  dim: 32,
  depth: 2,
  temporalDepth: 1,
  heads: 4,
  mlpDim: 64,
});

export const TRANSFORMER_PRESETS: Record<string, Preset<TransformerConfig>> = {
  tiny: {
    config: tiny('divided'),
    clip: tinyClip(2),
    note: 'Divided space-time attention, 8×32×32, 2×8×8 tubelets (4 × 16 tokens), D=32, 2 blocks: trains in seconds.',
  },
  tiny_joint: {
    config: tiny('joint'),
    clip: tinyClip(2),
    note: 'Joint space-time attention over all 64 tokens (+ class token).',
  },
  tiny_divided: {
    config: tiny('divided'),
    clip: tinyClip(2),
    note: 'TimeSformer-style divided attention.',
  },
  tiny_factorised: {
    config: tiny('factorised'),
    clip: tinyClip(2),
    note: 'ViViT factorised encoder over the 2×8×8 tubelets.',
  },
  tiny_mean: {
    config: { ...tiny('joint'), pooling: 'mean' },
    clip: tinyClip(2),
    note: 'Joint attention without a class token: the mean of the tokens is classified.',
  },
  timesformer_base: {
    config: {
      ...DEFAULT_TRANSFORMER,
      attention: 'divided',
      patchSize: 16,
      tubeletFrames: 1,
      dim: 768,
      depth: 12,
      heads: 12,
      mlpDim: 3072,
    },
    clip: { numFrames: 8, height: 224, width: 224, channels: 3, numClasses: 400 },
    paper: true,
    note: 'TimeSformer (divided space-time), 8×224×224, ViT-B/16; 121,566,352 parameters in the official code.',
  },
  vivit_b_fe: {
    config: {
      ...DEFAULT_TRANSFORMER,
      attention: 'factorised',
      patchSize: 16,
      tubeletFrames: 2,
      dim: 768,
      depth: 12,
      temporalDepth: 4,
      heads: 12,
      mlpDim: 3072,
    },
    clip: { numFrames: 32, height: 224, width: 224, channels: 3, numClasses: 400 },
    paper: true,
    note: 'ViViT-B factorised encoder (scenic config), 2×16×16 tubelets on 32×224×224, spatial 12 + temporal 4 blocks; 115,062,928 parameters.',
  },
};

/**
 * The transformer needs 32 × 32 clips and a longer schedule: with its 8 × 8 patches a 16 × 16
 * frame is only 2 × 2 tokens. It spends ~6 epochs on a plateau at chance (attention starts near
 * uniform, so the two orders of a clip look alike) before it finds the motion in its tubelets; a
 * lower rate keeps it from bouncing once it does (val 0.50 ×6, then 0.81 0.88 0.88 0.88 0.81 0.94
 * 0.94 0.94 0.94 0.97 up to epoch 16).
 */
export const TRANSFORMER_RECIPE: Recipe = { ...LESSON_RECIPE, size: 32, lr: 0.002, epochs: 14 };
