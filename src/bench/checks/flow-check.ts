// The fused WebGPU optical flow (src/flow/fused-flow.ts) against the tfjs-op path it replaces
// (src/flow/optical-flow.ts), on the same frames in the same worker: endpoint difference of the
// flow in working-size pixels and the confidence's difference, for the default config.
// A program that fails to compile writes nothing (its output reads back as zeros or as whatever
// a recycled buffer held): the fused run goes first, inside WebGPU error scopes whose errors the
// report lists, and tf.profile's kernel names say which path each run took. Reads back
// asynchronously (no dataSync on webgpu in a worker).

import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { flowAndConfidenceOfFrames, flowImplFor, selectFlowImpl, selectedFlowImpl, type FlowConfig } from '../../flow/optical-flow';

export interface FlowCheckArgs {
  /** Frames [T, H, W, C] as flat values in [0, 255] (C = 1 or 3), or absent: the bench's synthetic panning clip. */
  frames?: number[];
  shape?: [number, number, number, number];
  config?: Partial<FlowConfig>;
}

export interface FlowCheckReport {
  backend: string;
  shape: number[];
  /** The implementation each run asked for and the kernels it ran (tf.profile names). */
  fusedKernels: string[];
  opsKernels: string[];
  /** Which implementation flowBetween picks for these frames by default. */
  defaultImpl: 'fused' | 'ops';
  /** |flow_fused − flow_ops| per pixel (Euclidean), px at working size. */
  maxEndpointDiffPx: number;
  meanEndpointDiffPx: number;
  /** max |λ_fused − λ_ops| / max λ_ops. */
  confidenceRelDiff: number;
  /** Every value of both fused outputs is finite. */
  fusedFinite: boolean;
  /** Mean flow magnitude of the op path, px (the motion is real, not all zeros). */
  meanMotionPx: number;
  /** WebGPU validation/internal errors raised during the fused run (a shader that fails to compile runs nothing). */
  gpuErrors: string[];
  numTensorsBefore: number;
  numTensorsAfter: number;
}

interface Run {
  flow: Float32Array;
  confidence: Float32Array;
  kernels: string[];
}

async function runImpl(frames: tf.Tensor4D, config: Partial<FlowConfig> | undefined): Promise<Run> {
  let out: Run | null = null;
  const info = await tf.profile(async () => {
    const { flow, confidence } = flowAndConfidenceOfFrames(frames, config, 255);
    try {
      out = { flow: (await flow.data()) as Float32Array, confidence: (await confidence.data()) as Float32Array, kernels: [] };
    } finally {
      tf.dispose([flow, confidence]);
    }
  });
  const run = out as unknown as Run;
  run.kernels = [...new Set(info.kernels.map((k) => k.name))];
  return run;
}

async function compareImpls(args: FlowCheckArgs, makeDefaultClip: () => tf.Tensor4D): Promise<FlowCheckReport> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`The fused-flow check needs the webgpu backend; this worker runs ${tf.getBackend()}.`);
  const numTensorsBefore = tf.memory().numTensors;
  let frames: tf.Tensor4D;
  if (args.frames) {
    const shape = args.shape;
    if (!shape || shape.length !== 4 || shape.reduce((a, b) => a * b, 1) !== args.frames.length) throw new Error(`flow check: frames of ${args.frames.length} values do not fill shape [${shape}].`);
    frames = tf.tensor4d(args.frames, shape, 'float32');
  } else frames = tf.tidy(() => makeDefaultClip().mul(255) as tf.Tensor4D);
  const before = selectedFlowImpl();
  try {
    const [, h, w] = frames.shape;
    selectFlowImpl('fused');
    const defaultImpl = flowImplFor(h, w, args.config);
    const device = (tf.backend() as WebGPUBackend).device;
    device.pushErrorScope('validation');
    device.pushErrorScope('internal');
    const fused = await runImpl(frames, args.config);
    const gpuErrors = (await Promise.all([device.popErrorScope(), device.popErrorScope()])).filter((e) => e !== null).map((e) => e.message);
    selectFlowImpl('ops');
    const ops = await runImpl(frames, args.config);
    let maxD = 0;
    let sumD = 0;
    let sumM = 0;
    let finite = true;
    const pixels = ops.flow.length / 2;
    for (let i = 0; i < pixels; i++) {
      const fx = fused.flow[2 * i];
      const fy = fused.flow[2 * i + 1];
      if (!(Number.isFinite(fx) && Number.isFinite(fy))) finite = false;
      const d = Math.hypot(fx - ops.flow[2 * i], fy - ops.flow[2 * i + 1]);
      maxD = Math.max(maxD, Number.isFinite(d) ? d : Infinity);
      sumD += d;
      sumM += Math.hypot(ops.flow[2 * i], ops.flow[2 * i + 1]);
    }
    let maxC = 0;
    let diffC = 0;
    for (let i = 0; i < ops.confidence.length; i++) {
      if (!Number.isFinite(fused.confidence[i])) finite = false;
      maxC = Math.max(maxC, Math.abs(ops.confidence[i]));
      diffC = Math.max(diffC, Math.abs(fused.confidence[i] - ops.confidence[i]));
    }
    return {
      backend: tf.getBackend(),
      shape: frames.shape,
      fusedKernels: fused.kernels,
      opsKernels: ops.kernels,
      defaultImpl,
      maxEndpointDiffPx: maxD,
      meanEndpointDiffPx: sumD / pixels,
      confidenceRelDiff: maxC > 0 ? diffC / maxC : diffC,
      fusedFinite: finite,
      meanMotionPx: sumM / pixels,
      gpuErrors,
      numTensorsBefore,
      numTensorsAfter: -1,
    };
  } finally {
    selectFlowImpl(before);
    frames.dispose();
  }
}

/** Fused against ops on `args`' frames; the tensor count is taken after everything the check made is gone. */
export async function checkFusedFlow(args: FlowCheckArgs, makeDefaultClip: () => tf.Tensor4D): Promise<FlowCheckReport> {
  const report = await compareImpls(args, makeDefaultClip);
  return { ...report, numTensorsAfter: tf.memory().numTensors };
}
