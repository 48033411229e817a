// The epilogue of our fused kernels (FusedConv2D in ../conv2d-kernels.ts, _FusedMatMul in
// ./matmul.ts): y + bias broadcast over the last axis (./broadcast-binary.ts's channel program),
// then relu or nothing. Other extras (PReLU weights, other activations, a bias of another shape
// or dtype) are not covered: the caller hands those calls to tfjs's stock kernel.
//
//   y [..., C] ─▶ y + bias[C] ─▶ relu(·)        each step's input buffer is released at once

import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { flatView, sizeOf } from '../flat-program';
import { ChannelBroadcastProgram } from './broadcast-binary';

type TensorInfo = tf.TensorInfo;

/** Whether the epilogue covers a fused call: activation linear or relu, no PReLU weights, a float32 bias of `channels` values along the last axis (or none). */
export function fusedEpilogueFits(activation: string, channels: number, bias?: TensorInfo, preluWeights?: TensorInfo): boolean {
  const biasFits = !bias || (bias.dtype === 'float32' && sizeOf(bias.shape) === channels && bias.shape[bias.shape.length - 1] === channels);
  return !preluWeights && biasFits && (activation === 'linear' || activation === 'relu');
}

/** relu(y + bias), or y + bias when the activation is linear, over y's last axis of `channels`; y's buffer is released when replaced. Check fusedEpilogueFits first. */
export function fusedEpilogue(backend: WebGPUBackend, y: TensorInfo, channels: number, activation: string, bias?: TensorInfo): TensorInfo {
  let out = y;
  if (bias && channels > 0) {
    // [N·…·C] with [C].
    const withBias = backend.runWebGPUProgram(new ChannelBroadcastProgram('Add', sizeOf(out.shape), channels, false), [flatView(out), flatView(bias)], 'float32');
    backend.disposeData(out.dataId);
    out = { dataId: withBias.dataId, shape: out.shape, dtype: 'float32' };
  }
  if (activation === 'relu') {
    const relu = tf.getKernel('Relu', 'webgpu')!.kernelFunc({ inputs: { x: out }, backend, attrs: {} }) as TensorInfo;
    backend.disposeData(out.dataId);
    out = relu;
  }
  return out;
}
