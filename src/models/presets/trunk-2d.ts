// The 2D trunks the per-frame families share (single frame, late and early fusion, CNN + RNN), as
// plain data: blocks/trunk-2d.ts builds and describes them.

/** A plain stack of conv(-BN)-ReLU-pool stages. */
export interface ConvStackConfig {
  kind: 'conv-stack';
  widths: number[]; // filters per stage, e.g. [8, 16]; each stage halves H and W
  kernel: number; // default 3
  batchNorm: boolean; // default true
  pool: 'max' | 'avg'; // default 'max'
  /** How the final map becomes a vector: 'gap' (global average, size-independent) or 'flatten'
   *  (h·w·c, keeps position: what a per-frame feature needs for motion to survive). */
  head?: 'gap' | 'flatten'; // default 'gap'
}

/** torchvision ResNet with BasicBlocks (resnet18: stem 64, widths [64, 128, 256, 512], blocks [2, 2, 2, 2]). */
export interface ResNetConfig {
  kind: 'resnet';
  stemWidth: number; // default 64
  stageWidths: number[]; // default [64, 128, 256, 512]
  blocksPerStage: number[]; // default [2, 2, 2, 2]
}

export type Trunk2dConfig = ConvStackConfig | ResNetConfig;

export const RESNET18_TRUNK: ResNetConfig = {
  kind: 'resnet',
  stemWidth: 64,
  stageWidths: [64, 128, 256, 512],
  blocksPerStage: [2, 2, 2, 2],
};
export const TINY_TRUNK: ConvStackConfig = {
  kind: 'conv-stack',
  widths: [8, 16],
  kernel: 3,
  batchNorm: true,
  pool: 'max',
};
