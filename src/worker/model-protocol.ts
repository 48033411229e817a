// Argument and result types of the app's model requests (protocol.ts): the zoo listing, a
// family's self-description, the one-step training check (handlers/models.ts) and gradient parity
// (handlers/parity.ts). Plain data only; views and handlers both import them from here.

import type { FamilyId } from '../models/family-info';
import type { ClipSpec } from '../models/types';

/** Clip overrides on top of a preset's clip (frames, square size, classes). */
interface ClipOverrides {
  numFrames?: number;
  size?: number;
  numClasses?: number;
}

export interface DescribeArgs extends ClipOverrides {
  family: FamilyId;
  /** Preset name within the family (default 'tiny'). */
  preset?: string;
}

export interface TrainStepCheckArgs extends ClipOverrides {
  family: FamilyId;
  preset?: string; // default 'tiny'
  batch: number; // N random clips
  seed?: number; // default 1
}

export interface TrainStepCheckResult {
  family: FamilyId;
  loss: number;
  /** Wall time of the one optimizer step (includes shader compilation on a cold GPU backend). */
  ms: number;
  numTensorsBefore: number;
  numTensorsAfter: number;
  trainableParams: number;
  /** Trainable weights whose gradient came out exactly zero (a sign of a silent backend bug). */
  zeroGradWeights: string[];
  backend: string;
}

export interface ParityArgs {
  family: FamilyId;
  preset?: string; // default 'tiny'
  batch?: number; // default 2
  /** Shrink the preset's clip (e.g. 4×16×16 where SwiftShader's Conv3D is slow). */
  clip?: Partial<Pick<ClipSpec, 'numFrames' | 'height' | 'width' | 'numClasses'>>;
  seed?: number; // default 1234
  tolerance?: number; // default 1e-3, relative
}

export interface ParityVariable {
  name: string;
  shape: number[];
  /** max |g| on the CPU reference. */
  maxAbs: number;
  /** max |g − g_cpu| / max(max|g_cpu|, floor). */
  relError: number;
  ok: boolean;
}

export interface ParityResult {
  family: FamilyId;
  preset: string;
  backend: string;
  clip: ClipSpec;
  batch: number;
  loss: number;
  cpuLoss: number;
  lossRelError: number;
  /** Relative errors are taken against at least this much |g| (1e-4 of the model's largest gradient). */
  floor: number;
  variables: ParityVariable[];
  /** Names of the variables (and 'loss') outside the tolerance. */
  failing: string[];
  maxRelError: number;
  tolerance: number;
  /** tf.memory().numTensors after the check minus before: 0 unless something leaked. */
  tensorDelta: number;
  ok: boolean;
  ms: number;
}
