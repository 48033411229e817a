// The small interface every model family answers (timm style). Shapes are channels-last and
// exclude the batch dimension N unless a name says otherwise.

import type * as tf from '@tensorflow/tfjs';
import type { FamilyId } from './family-info';
import type { NetSpec } from './blocks/net';

/** What a model is built for: the sampled clip and the number of classes. */
export interface ClipSpec {
  numFrames: number; // T
  height: number; // H
  width: number; // W
  channels: number; // C (3 for RGB)
  numClasses: number;
}

/** One row of a model's self-description. Counts are per clip (N = 1). */
export interface LayerRow {
  name: string;
  /** e.g. 'conv2d', 'conv3d', 'batchnorm', 'dense', 'lstm', 'attention', 'pool', 'reshape'. */
  kind: string;
  /** Output shape without the batch dimension, e.g. [8, 16, 16, 32]. */
  outputShape: number[];
  trainableParams: number;
  /** Batch-norm moving mean and variance, counted apart as PyTorch's buffers are. */
  nonTrainableParams: number;
  /** Multiply-accumulates of convolutions, linear layers, recurrences and attention. */
  macs: number;
  /** float32 bytes of this layer's output. */
  activationBytes: number;
  /** Does this layer mix information across time? (highlighted in the UI). */
  temporal: boolean;
  note?: string;
}

export interface DescriptionTotals {
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  activationBytes: number;
}

export interface Description {
  family: FamilyId;
  /** Variant within the family, e.g. 'slowfast', 'divided'. */
  variant: string;
  clip: ClipSpec;
  layers: LayerRow[];
  totals: DescriptionTotals;
  /** Extra teaching figures: filter arithmetic, attention-matrix sizes, … */
  extras: { label: string; value: string }[];
}

/** What a model consumes, per input, in order. The data pipeline makes each kind. */
export type InputKind =
  | 'frames' // [N, T, H, W, C] sampled RGB frames in [0, 1]
  | 'flow' // [N, L, H, W, 2] optical flow between consecutive frames (the flow issue)
  | 'frame-diff'; // [N, T-1, H, W, C] differences of consecutive frames, a stand-in for flow

export interface BuiltModel {
  model: tf.LayersModel;
  inputs: InputKind[];
}

export interface FamilyDef<C = unknown> {
  id: FamilyId;
  defaultConfig: C;
  /** Named configs: `tiny` (trains in seconds) and any reference presets. */
  presets: Record<string, Preset<C>>;
  build(config: C, clip: ClipSpec): BuiltModel;
  describe(config: C, clip: ClipSpec): Description;
  /** The network written once (blocks/net.ts) that build and describe interpret; other
   *  interpreters (the PyTorch exporter, src/export/) read it here. */
  net?(config: C, clip: ClipSpec): NetSpec;
}

export interface Preset<C> {
  config: C;
  clip: ClipSpec;
  /** Reference scale: describable exactly, too big to train in a browser. */
  paper?: boolean;
  note?: string;
}
