// The typed message protocol between the app's page and its tfjs worker (app.worker.ts): only
// the requests the app sends. The benchmark page has its own worker and protocol
// (src/bench/bench-protocol.ts). Message shapes and the message loop: rpc.ts.
//
// Requests are a map from name to {args, result}; every request carries an id and gets exactly
// one reply. Events (progress, logs) flow worker → page without a request. Only plain data
// crosses: numbers, strings, typed arrays (transferred, never copied twice). Tensors and models
// stay in the worker.
//
// To add a request: add an entry to `Requests` (argument and result types in this file or a
// sibling *-protocol.ts, never in a handler), and a handler in a module under worker/handlers/
// that worker-core.ts combines. TypeScript then forces the handler to exist.

import type { BackendName, BackendReport } from '../lib/tf-backend';
import type { StoredFrames } from './clip-store';
import type { FlowConfig } from '../flow/optical-flow';
import type * as T from './train-protocol';
import type * as M from './model-protocol';
import type * as E from './export-protocol';
import type { Description } from '../models/types';
import type { HandlerContextOf, HandlersOf, RequestMessage } from './rpc';

export interface Requests {
  /** Pick the backend (WebGPU → WebGL → CPU, or the forced one), warm it up, report. */
  init: { args: { backend: BackendName | null }; result: BackendReport };
  /** The heartbeat: answered at once, so a silent worker is a dead one (runtime/worker-client.ts). */
  ping: { args: Record<string, never>; result: { ok: true } };
  /** For the fault tests (e2e/faults.spec.ts): lose the WebGPU device, or make the next step's error scope catch an out-of-memory. */
  'gpu-fault': { args: { fault: 'destroy-device' | 'oom-next-step' }; result: { detail: string } };
  /** Keep a clip's sampled frames in the worker (transfer `rgba.buffer`). */
  'put-frames': { args: StoredFrames; result: { storedBytes: number } };
  /** Forget a clip's frames (the clip was removed on the page); bytes still held for all clips. */
  'drop-frames': { args: { clipId: string }; result: { storedBytes: number } };
  /** Optical flow of a stored clip (computed once, cached with its frames): display fields + colours + mean motion. */
  flow: { args: FlowArgs; result: FlowResult };
  /** Training studio (handlers/train.ts): data, the loop, evaluation, inference, budget. */
  'dataset-make': { args: T.DatasetArgs; result: T.DatasetInfo };
  'dataset-preview': { args: { datasetId: string; perClass: number }; result: T.DatasetPreview };
  'train-start': { args: T.TrainStartArgs; result: T.TrainStartResult };
  'train-control': { args: { runId: string; action: T.TrainAction }; result: T.RunState };
  'train-evaluate': { args: { runId: string }; result: T.EvaluationResult };
  'train-infer': { args: T.InferenceArgs; result: T.InferenceResult };
  'train-budget': { args: T.BudgetRequestArgs; result: T.Budget };
  'train-memory': { args: Record<string, never>; result: T.TrainMemory };
  /** Which families the model zoo has built, with their preset names. */
  /** A family's self-description on a clip (registry preset + clip overrides); allocates no weights. */
  describe: { args: M.DescribeArgs; result: Description };
  /** Build a preset, take one optimizer step on a random batch, dispose everything, report the tensor counts. */
  'train-step-check': { args: M.TrainStepCheckArgs; result: M.TrainStepCheckResult };
  /** Loss and every gradient of a family's small model on this backend vs the CPU backend. */
  'gradient-parity': { args: M.ParityArgs; result: M.ParityResult };
  /** The model as PyTorch + MMAction2 files (src/export/): a run's trained model, or a preset's initial weights. */
  'export-pytorch': { args: E.ExportPytorchArgs; result: E.ExportPytorchResult };
}

interface FlowArgs {
  clipId: string;
  config?: Partial<FlowConfig>;
  /** Long side of the returned fields, at most (default 64): shrunk by a whole factor. */
  displaySize?: number;
}

export interface FlowResult {
  clipId: string;
  /** T − 1: flow from each sampled frame to the next. */
  numPairs: number;
  /** Size of the returned fields (display) and of the frames flow was computed on (working: the sampled frames, averaged down by a whole factor when larger than flow/working-size.ts allows). */
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
  /** The clip's mean motion in native-resolution pixels per second, each pixel weighted by how well its motion is determined (flow/mean-flow.ts); null when the clip has too little texture to measure. */
  meanDxPxPerS: number | null;
  meanDyPxPerS: number | null;
  /** [P, 2] per-pair mean motion, native px/s (NaN where frames share a timestamp or no pixel of the pair is determined). */
  pairMeanPxPerS: number[];
  /** Share of the interior's pixels whose motion is determined (structure tensor's smaller eigenvalue above the threshold). */
  determinedFraction: number;
  /** Enough pixels are determined for a mean. */
  enoughTexture: boolean;
  computeMs: number;
  backend: string;
  /** The flow came from the per-clip cache. */
  cached: boolean;
}

type RequestName = keyof Requests;
export type ArgsOf<K extends RequestName> = Requests[K]['args'];
export type ResultOf<K extends RequestName> = Requests[K]['result'];

export type WorkerEvent =
  /** A console-worthy message from the worker (warnings that tfjs prints, e.g. WGSL errors). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** The backend changed after the GPU device was lost (re-acquired, or a fallback and why). */
  | { type: 'backend'; report: BackendReport; message: string }
  /** Training progress (train-protocol.ts). */
  | T.TrainEvent;

export type ToWorker = RequestMessage<Requests>;
export type Handlers = HandlersOf<Requests, WorkerEvent>;
export type HandlerContext = HandlerContextOf<WorkerEvent>;
