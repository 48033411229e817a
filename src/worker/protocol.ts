// The typed message protocol between the page and the tfjs worker.
//
// Requests are a map from name to {args, result}; every request carries an id and gets exactly
// one reply. Events (progress, logs) flow worker → page without a request. Only plain data
// crosses: numbers, strings, typed arrays (transferred, never copied twice). Tensors and models
// stay in the worker.
//
// To add a request: add an entry to `Requests`, and a handler in a module under
// worker/handlers/ that worker-core.ts combines. TypeScript then forces the handler to exist.

import type { BackendName, BackendReport } from '../lib/tf-backend';
import type { StoredFrames } from './clip-store';
import type { Conv3DImpl } from '../webgpu/conv3d-kernels';
import type { KernelChoice, KernelImpl } from '../webgpu/kernels';
import type { ModelKernelCheck } from '../bench/model-check';
import type { OpBenchRow } from '../bench/op-bench';
import type { Conv3DCheckReport } from '../bench/checks/conv3d-check';
import type { BroadcastCheckReport } from '../bench/checks/broadcast-check';
import type { KernelProfile, MemoryTrace, Timing, TrainBench } from '../bench/workloads';
import type { FlowConfig } from '../flow/optical-flow';
import type { FlowBenchOptions, FlowBenchResult } from '../bench/flow-bench';
import type * as T from './train-protocol';
import type { DescribeArgs, ModelZooInfo, TrainStepCheckArgs, TrainStepCheckResult } from './handlers/models';
import type { Description } from '../models/types';
import type { ParityArgs, ParityResult } from './handlers/parity';

export interface Requests {
  /** Pick the backend (WebGPU → WebGL → CPU, or the forced one), warm it up, report. */
  init: { args: { backend: BackendName | null; /** WebGPU kernels (Conv3D, per-channel broadcasts): ours (default) or tfjs's stock ones. */ conv3d?: Conv3DImpl }; result: BackendReport };
  /** tf.memory() of the worker: for leak checks and the memory readout. */
  memory: { args: Record<string, never>; result: { numTensors: number; numBytes: number } };
  /** Keep a clip's sampled frames in the worker (transfer `rgba.buffer`). */
  'put-frames': { args: StoredFrames; result: { storedBytes: number } };
  /** Switch the webgpu backend's Conv3D kernels (ours or tfjs's stock ones, for comparison). */
  'conv3d-kernels': { args: { impl: Conv3DImpl }; result: { impl: Conv3DImpl } };
  /** Bench: our Conv3D kernels against the stock ones on random shapes (webgpu only). */
  'bench-conv3d-check': { args: Record<string, never>; result: Conv3DCheckReport };
  /** Bench: the channel-broadcast element-wise kernels against tfjs's plain path (webgpu only). */
  'bench-ops-check': { args: Record<string, never>; result: BroadcastCheckReport };
  /** Bench: a C3D-sized layer, forward + both gradients, stock then ours (webgpu only). */
  'bench-conv3d-layer': { args: { repeats: number; warmup: number; /** Repeats for the (slow) stock kernel; default `repeats`. */ stockRepeats?: number }; result: { stock: Timing & { gflop: number }; fast: Timing & { gflop: number }; speedup: number } };
  /** Bench: a conv3d training step, stock kernels then ours, same model (webgpu only). */
  'bench-conv3d-step': { args: { repeats: number; warmup: number; batch: number }; result: { model: string; stock: TrainBench; fast: TrainBench; speedup: number } };
  /** Bench: ms per training step, clips/s, inference ms per clip, peak bytes of a registry preset (default `tiny`). */
  'bench-train': { args: { family: string; preset?: string; repeats: number; warmup: number; batch: number }; result: TrainBench & { backend: string } };
  /** Bench: one profiled training step of a family's `tiny` preset: dispatches, peak bytes, time per kernel. */
  /** Bench: choose our or tfjs's webgpu kernels, per group. */
  'bench-kernels': { args: { choice: KernelImpl | Partial<KernelChoice> }; result: KernelChoice };
  /** Bench: a family's tiny preset, loss and gradients with our webgpu kernels against tfjs's stock ones. */
  'bench-model-check': { args: { family: string; fast?: KernelImpl | Partial<KernelChoice>; preset?: string }; result: ModelKernelCheck };
  /** Bench: single kernels on the profiles' slow shapes, tfjs's stock kernel then ours (webgpu only). */
  'bench-ops': { args: { repeats: number; warmup: number }; result: OpBenchRow[] };
  'bench-profile': { args: { family: string; batch: number }; result: KernelProfile };
  /** Bench: tf.memory() after each of `steps` training steps of a family's `tiny` preset. */
  'bench-memory': { args: { family: string; steps: number; batch: number }; result: MemoryTrace & { backend: string } };
  /** Optical flow of a stored clip (computed once, cached with its frames): display fields + colours + mean motion. */
  flow: { args: FlowArgs; result: FlowResult };
  /** Benchmark row: flow for `numFrames` frames at `size`² on the worker's backend. */
  'flow-bench': { args: FlowBenchOptions; result: FlowBenchResult };
  /** Training studio (handlers/train.ts): data, the loop, evaluation, inference, budget. */
  'dataset-make': { args: T.DatasetArgs; result: T.DatasetInfo };
  'dataset-preview': { args: { datasetId: string; perClass: number }; result: T.DatasetPreview };
  'train-start': { args: T.TrainStartArgs; result: T.TrainStartResult };
  'train-control': { args: { runId: string; action: T.TrainAction }; result: T.RunState };
  'train-evaluate': { args: { runId: string }; result: T.EvaluationResult };
  'train-infer': { args: T.InferenceArgs; result: T.InferenceResult };
  'train-budget': { args: T.BudgetRequestArgs; result: T.BudgetEstimate };
  'train-memory': { args: Record<string, never>; result: T.TrainMemory };
  /** Which families the model zoo has built, with their preset names. */
  'model-zoo': { args: Record<string, never>; result: ModelZooInfo };
  /** A family's self-description on a clip (registry preset + clip overrides); allocates no weights. */
  describe: { args: DescribeArgs; result: Description };
  /** Build a preset, take one optimizer step on a random batch, dispose everything, report the tensor counts. */
  'train-step-check': { args: TrainStepCheckArgs; result: TrainStepCheckResult };
  /** Loss and every gradient of a family's small model on this backend vs the CPU backend. */
  'gradient-parity': { args: ParityArgs; result: ParityResult };
}

export interface FlowArgs {
  clipId: string;
  config?: Partial<FlowConfig>;
  /** Long side of the returned fields, at most (default 64): shrunk by a whole factor. */
  displaySize?: number;
}

export interface FlowResult {
  clipId: string;
  /** T − 1: flow from each sampled frame to the next. */
  numPairs: number;
  /** Size of the returned fields (display) and of the frames flow was computed on (working). */
  height: number;
  width: number;
  workingHeight: number;
  workingWidth: number;
  /** [P, h, w, 2] (dx, dy) in working-size pixels per pair (transferred). */
  flows: Float32Array;
  /** [P, h, w, 4] colour-wheel RGBA of `flows` (transferred). */
  colors: Uint8ClampedArray;
  /** |flow| that shows at full brightness, working-size pixels. */
  maxMagnitude: number;
  /** The clip's mean motion in native-resolution pixels per second. */
  meanDxPxPerS: number;
  meanDyPxPerS: number;
  /** [P, 2] per-pair mean motion, native px/s (NaN where frames share a timestamp). */
  pairMeanPxPerS: number[];
  computeMs: number;
  backend: string;
  /** The flow came from the per-clip cache. */
  cached: boolean;
}

export type RequestName = keyof Requests;
export type ArgsOf<K extends RequestName> = Requests[K]['args'];
export type ResultOf<K extends RequestName> = Requests[K]['result'];

export type RequestMessage = {
  [K in RequestName]: { kind: 'request'; id: number; name: K; args: ArgsOf<K> };
}[RequestName];

export type WorkerEvent =
  /** A console-worthy message from the worker (warnings that tfjs prints, e.g. WGSL errors). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** Training progress (train-protocol.ts). */
  | T.TrainEvent;

export type FromWorker =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string }
  | { kind: 'event'; event: WorkerEvent };

export type ToWorker = RequestMessage;

/** The handler table type: one async function per request. */
export type Handlers = {
  [K in RequestName]: (args: ArgsOf<K>, ctx: HandlerContext) => Promise<ResultOf<K>>;
};

export interface HandlerContext {
  /** Send an event to the page. */
  emit(event: WorkerEvent): void;
  /** Where this core runs: a real worker, or the page's main thread (last-resort CPU path). */
  thread: 'worker' | 'main';
}
