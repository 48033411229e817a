// The 3D convolution family's config and presets, as plain data (conv3d.ts builds them).

import type { Triple } from '../blocks/net';
import type { Preset } from '../types';
import { KINETICS_16X112, tinyClip } from './clips';
import { LESSON_RECIPE, type Recipe } from './recipe';

export interface C3dStage {
  filters: number;
  convs: number; // k_t×k×k convs in this stage
  pool: Triple; // pooling after the stage, [p_t, p, p]; [1, 1, 1] for none
}

export interface Conv3dConfig {
  /** 'c3d': the configurable stack; the rest: torchvision's video ResNets. */
  variant: 'c3d' | 'r3d' | 'mc3' | 'r2plus1d'; // default 'c3d'
  // ── C3D stack ──
  stages: C3dStage[]; // default tiny: [8 ch, 1 conv, pool 1×2×2], [16 ch, 1 conv, pool 2×2×2]
  kernelT: number; // default 3: k_t, the temporal extent of every conv
  kernel: number; // default 3: k, the spatial extent
  batchNorm: boolean; // default true: BN after each conv (C3D itself has none; BN trains faster)
  head: 'flatten' | 'gap'; // default 'gap': C3D flattens pool5 into fc6
  fc: number[]; // default []: hidden fc widths before the classifier; C3D: [4096, 4096]
  dropout: number; // default 0: after each hidden fc (C3D: 0.5)
  // ── video ResNets ──
  stemWidth: number; // default 64
  widths: number[]; // default [64, 128, 256, 512]
  blocks: number[]; // default [2, 2, 2, 2] (the "18")
}

export const defaultConv3dConfig: Conv3dConfig = {
  variant: 'c3d',
  stages: [
    { filters: 8, convs: 1, pool: [1, 2, 2] },
    { filters: 16, convs: 1, pool: [2, 2, 2] },
  ],
  kernelT: 3,
  kernel: 3,
  batchNorm: true,
  head: 'gap',
  fc: [],
  dropout: 0,
  stemWidth: 64,
  widths: [64, 128, 256, 512],
  blocks: [2, 2, 2, 2],
};

const tinyResNet = { stemWidth: 8, widths: [8, 16], blocks: [1, 1] };

/** C3D as in Tran et al. 2015: 8 convs 3×3×3, 5 pools, fc6/fc7 4096, Sports-1M's 487 classes. */
const c3dPaper: Conv3dConfig = {
  ...defaultConv3dConfig,
  stages: [
    { filters: 64, convs: 1, pool: [1, 2, 2] },
    { filters: 128, convs: 1, pool: [2, 2, 2] },
    { filters: 256, convs: 2, pool: [2, 2, 2] },
    { filters: 512, convs: 2, pool: [2, 2, 2] },
    { filters: 512, convs: 2, pool: [2, 2, 2] },
  ],
  batchNorm: false,
  head: 'flatten',
  fc: [4096, 4096],
  dropout: 0.5,
};

export const CONV3D_PRESETS: Record<string, Preset<Conv3dConfig>> = {
  tiny: {
    config: defaultConv3dConfig,
    clip: tinyClip(4),
    note: 'two 3×3×3 conv stages; trains in seconds on 8×32×32 clips',
  },
  r3d_tiny: {
    config: { ...defaultConv3dConfig, variant: 'r3d', ...tinyResNet },
    clip: tinyClip(4),
    note: 'R3D with 2 small stages of one block',
  },
  mc3_tiny: {
    config: { ...defaultConv3dConfig, variant: 'mc3', ...tinyResNet },
    clip: tinyClip(4),
    note: 'MC3 with 2 small stages of one block',
  },
  r2plus1d_tiny: {
    config: { ...defaultConv3dConfig, variant: 'r2plus1d', ...tinyResNet },
    clip: tinyClip(4),
    note: 'R(2+1)D with 2 small stages of one block',
  },
  c3d: {
    config: c3dPaper,
    clip: { ...KINETICS_16X112, numClasses: 487 },
    paper: true,
    note: 'C3D (Tran et al. 2015) on 16×112×112, 487 Sports-1M classes; pool5 rounds 7→4 so fc6 sees 512·1·4·4 = 8192',
  },
  r3d_18: {
    config: { ...defaultConv3dConfig, variant: 'r3d' },
    clip: KINETICS_16X112,
    paper: true,
    note: 'torchvision r3d_18: 33,371,472 parameters, 40.70 GFLOPS',
  },
  mc3_18: {
    config: { ...defaultConv3dConfig, variant: 'mc3' },
    clip: KINETICS_16X112,
    paper: true,
    note: 'torchvision mc3_18: 11,695,440 parameters, 43.34 GFLOPS',
  },
  r2plus1d_18: {
    config: { ...defaultConv3dConfig, variant: 'r2plus1d' },
    clip: KINETICS_16X112,
    paper: true,
    note: 'torchvision r2plus1d_18: 31,505,325 parameters, 40.52 GFLOPS',
  },
};

/** The shared lesson: C3D-tiny learns order-direction in 6 epochs (val 1.00 on seed 1). */
export const CONV3D_RECIPE: Recipe = LESSON_RECIPE;
