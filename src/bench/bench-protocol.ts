// The benchmark worker's protocol (bench.worker.ts ← bench-entry.ts): the app's `init`, so the
// bench starts a backend exactly as the app does, and the bench and kernel-check requests, whose
// timings are taken inside the worker on the app's own tfjs path. Message shapes: worker/rpc.ts.
// Nothing in the app imports this file.

import type { Requests as AppRequests } from '../worker/protocol';
import type { HandlersOf, RequestMessage } from '../worker/rpc';
import type { FamilyId } from '../models/family-info';
import type { KernelChoice, KernelImpl } from '../webgpu/kernels';
import type { ModelKernelCheck } from './model-check';
import type { OpBenchRow } from './op-bench';
import type { Conv3DCheckReport } from './checks/conv3d-check';
import type { BroadcastCheckReport } from './checks/broadcast-check';
import type { KernelProfile, MemoryTrace, Timing, TrainBench } from './workloads';
import type { FlowBenchOptions, FlowBenchResult } from './flow-bench';
import type { FlowCheckArgs, FlowCheckReport } from './checks/flow-check';

export interface BenchRequests {
  /** The app's request: pick the backend, turn our WebGPU kernels on, warm up (worker/backend-start.ts). */
  init: AppRequests['init'];
  /** The registered families that have a `tiny` preset (the ones the families group benches). */
  'bench-families': { args: Record<string, never>; result: { families: FamilyId[] } };
  /** Our Conv3D kernels against the stock ones on random shapes (webgpu only). */
  'bench-conv3d-check': { args: Record<string, never>; result: Conv3DCheckReport };
  /** The channel-broadcast element-wise kernels and the other ops against tfjs's plain path (webgpu only). */
  'bench-ops-check': { args: Record<string, never>; result: BroadcastCheckReport };
  /** A C3D-sized layer, forward + both gradients, stock then ours (webgpu only). */
  'bench-conv3d-layer': { args: { repeats: number; warmup: number; /** Repeats for the (slow) stock kernel; default `repeats`. */ stockRepeats?: number }; result: { stock: Timing & { gflop: number }; fast: Timing & { gflop: number }; speedup: number } };
  /** A conv3d training step, stock kernels then ours, same model (webgpu only). */
  'bench-conv3d-step': { args: { repeats: number; warmup: number; batch: number }; result: { model: string; stock: TrainBench; fast: TrainBench; speedup: number } };
  /** ms per training step, clips/s, inference ms per clip, peak bytes of a registry preset (default `tiny`). */
  'bench-train': { args: { family: string; preset?: string; repeats: number; warmup: number; batch: number; /** Run the app's warm-up step (training/warm-up.ts, on a clone) first. */ warmUp?: boolean }; result: TrainBench & { backend: string; /** The warm-up step's ms (a cold first step: compile + run), when asked. */ warmUpMs: number | null } };
  /** One profiled training step of a family's `tiny` preset: dispatches, peak bytes, time per kernel (for analysis by hand, bench/NOTES.md). */
  'bench-profile': { args: { family: string; batch: number }; result: KernelProfile };
  /** A family's preset (default tiny), loss and gradients with our webgpu kernels against tfjs's stock ones. */
  'bench-model-check': { args: { family: string; fast?: KernelImpl | Partial<KernelChoice>; preset?: string }; result: ModelKernelCheck };
  /** Single kernels on the profiles' slow shapes, tfjs's stock kernel then ours (webgpu only). */
  'bench-ops': { args: { repeats: number; warmup: number }; result: OpBenchRow[] };
  /** tf.memory() after each of `steps` training steps of a family's `tiny` preset. */
  'bench-memory': { args: { family: string; steps: number; batch: number }; result: MemoryTrace & { backend: string } };
  /** Optical flow of a synthetic panning clip of `numFrames` frames at `size`² on the worker's backend. */
  'bench-flow': { args: FlowBenchOptions; result: FlowBenchResult };
  /** The fused WebGPU flow against the tfjs-op path on the same frames (given, or the synthetic pan): endpoint difference, kernels run (webgpu only). */
  'bench-flow-check': { args: FlowCheckArgs; result: FlowCheckReport };
}

/** The bench's requests send no events. */
export type BenchEvent = never;

export type BenchRequestName = keyof BenchRequests;
export type ToBenchWorker = RequestMessage<BenchRequests>;
export type BenchHandlers = HandlersOf<BenchRequests, BenchEvent>;
