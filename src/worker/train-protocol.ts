// Message types of the training studio's worker requests (handlers/train.ts). Kept apart from
// protocol.ts so that shared file only gains a few lines. Plain data only.

import type { TaskId } from '../data/synthetic/task-info';
import type { FamilyId } from '../models/family-info';
import type { Budget } from '../training/budget';
export type { Budget };
import type { OwnClass } from '../training/datasets';
import type { SampleRead } from '../data/sampling';
import type { OrderTest } from '../training/order-tests';
import type { LoopStatus, TrainConfig } from '../training/train-loop';

export type DatasetArgs =
  | {
      kind: 'synthetic';
      task: TaskId;
      seed: number;
      numFrames: number; // T
      size: number; // H = W
      noise?: number; // default 0.05
      objectScale?: number; // default 1
      trainPerClass?: number; // default 48
      valPerClass?: number; // default 16
    }
  | {
      kind: 'own';
      classes: OwnClass[];
      seed: number;
      numFrames: number;
      size: number;
      /** How each clip's stored frames are read: the strategy and K picked in the sampling explorer (data/sampling.ts readPlan). */
      sampling: SampleRead;
      readsPerClip?: number; // training reads of each clip per epoch, default 8
      valFraction?: number; // default 0.25
    };

export interface DatasetInfo {
  datasetId: string;
  classNames: string[];
  numFrames: number;
  height: number;
  width: number;
  trainSize: number;
  valSize: number;
  /** Bytes of frames kept in the worker for this dataset. */
  bytes: number;
  /** Own clips: which clips are held out for validation (split by clip). */
  valClipIds?: string[];
  trainClipIds?: string[];
}

export interface DatasetPreview {
  datasetId: string;
  numFrames: number;
  height: number;
  width: number;
  /** [n, T, H, W, 4] RGBA of n validation clips, `perClass` of each class (transferred). */
  rgba: Uint8ClampedArray;
  labels: number[];
  classNames: string[];
}

export interface TrainStartArgs {
  runId: string;
  datasetId: string;
  family: FamilyId;
  preset?: string; // default 'tiny'
  train: TrainConfig;
  /** What to do once built: train, take one step, or wait (default 'play'). */
  mode?: 'play' | 'step' | 'idle';
}

export interface TrainStartResult {
  runId: string;
  trainableParams: number;
  macs: number;
  batchesPerEpoch: number;
  budget: Budget;
}

export type TrainAction = 'play' | 'pause' | 'step' | 'reset';

export interface RunState {
  runId: string;
  status: LoopStatus;
  epoch: number;
  step: number;
  message: string | null;
}

export interface EvaluationResult {
  runId: string;
  classNames: string[];
  /** Validation accuracy with frames in each order. */
  orderTests: { test: OrderTest; accuracy: number }[];
  /** Rows true class, columns predicted, on the normal validation clips. */
  confusion: number[][];
  perClass: (number | null)[];
}

export interface InferenceArgs {
  runId: string;
  /** A stored clip (sampled by the clips panel), or a validation example of the run's data. */
  clipId?: string;
  valIndex?: number;
  /** With a clip: how its stored frames are read, the strategy and K picked in the sampling
   *  explorer (data/sampling.ts readPlan); the predictions of the plan's chunks are averaged. */
  sampling?: SampleRead;
}

export interface InferenceResult {
  runId: string;
  classNames: string[];
  /** One row per chunk: its first/last sampled frame, time span and class probabilities. */
  chunks: { startFrame: number; endFrame: number; startS: number; endS: number; probs: number[] }[];
  /** Mean of the chunks' probabilities, and its top class. */
  probs: number[];
  predicted: number;
  totalFrames: number;
}

/** The memory a run would need (training/budget.ts budgetFor): the dataset it makes and the preset trained on it. */
export interface BudgetRequestArgs {
  family: FamilyId;
  preset?: string;
  dataset: DatasetArgs;
  batchSize: number;
  optimizer: 'adam' | 'sgd';
}

export interface TrainMemory {
  numTensors: number;
  numBytes: number;
  datasetBytes: number;
  clipBytes: number;
  /** Optical flow kept in the worker's flow store (flow/flow-store.ts). */
  flowBytes: number;
  runsWithModels: number;
}

export type TrainEvent =
  | { type: 'train-batch'; runId: string; epoch: number; batch: number; batchesPerEpoch: number; step: number; loss: number; msPerStep: number }
  | { type: 'train-epoch'; runId: string; epoch: number; trainLoss: number; trainAcc: number; valLoss: number; valAcc: number }
  | { type: 'train-status'; runId: string; status: LoopStatus; message: string | null; epoch: number; step: number };
