// WebGPU error scopes around a training step. tfjs's WebGPU backend does not check for GPU
// errors: a buffer that could not be allocated, or a command the device rejected, only prints a
// console warning while the step goes on reading zeros or stale memory. Inside
// `withGpuErrorScopes` every device call the step makes (until its read-back) is captured by an
// 'out-of-memory' and a 'validation' scope; an error there throws GpuStepError, so the run ends
// with a message instead of wrong numbers. Off WebGPU (webgl, cpu) there is no device: the step
// runs as is.
//
// `armStepFault` is the fault tests' hook (e2e/faults.spec.ts, through the worker's
// `gpu-fault` request): the next guarded step also asks the device for a buffer it cannot
// give, inside the same scopes, so the message path is the one a real step takes.

import * as tf from '@tensorflow/tfjs';

export type GpuErrorKind = 'out-of-memory' | 'validation';

/** The part of GPUDevice the scopes use (a structural type: Node's tests have no WebGPU types). */
export interface ScopedDevice {
  pushErrorScope(filter: GpuErrorKind): void;
  popErrorScope(): Promise<{ message: string } | null>;
  createBuffer(desc: { size: number; usage: number }): { destroy(): void };
  readonly limits: { maxBufferSize: number };
}

export class GpuStepError extends Error {
  constructor(
    readonly kind: GpuErrorKind,
    readonly gpuMessage: string,
  ) {
    super(`${kind === 'out-of-memory' ? 'GPU out-of-memory error' : 'GPU validation error'}: ${gpuMessage}`);
    this.name = 'GpuStepError';
  }
}

/** The WebGPU device tfjs computes on, or null on another backend. */
export function currentGpuDevice(): ScopedDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: ScopedDevice }).device ?? null;
}

/** GPUBufferUsage.STORAGE (the constant, so Node can name it too). */
const STORAGE_USAGE = 0x80;
let armedBytes: number | null = null;

/**
 * Make the next guarded step also request a storage buffer of `bytes` (default: the device's
 * whole maxBufferSize, which passes validation but is more memory than a device can give next
 * to the model). For the fault tests only.
 */
export function armStepFault(bytes?: number, device: ScopedDevice | null = currentGpuDevice()): string {
  if (!device) throw new Error('A GPU fault needs the WebGPU backend.');
  armedBytes = bytes ?? device.limits.maxBufferSize;
  return `the next training step also requests a ${armedBytes}-byte GPU buffer`;
}

/**
 * Run `fn` (a whole step, read-back included) inside an out-of-memory and a validation error
 * scope of `device`; throws GpuStepError when either caught an error. With no device, just `fn`.
 */
export async function withGpuErrorScopes<T>(device: ScopedDevice | null, fn: () => Promise<T>): Promise<T> {
  if (!device) return fn();
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let result: T | undefined;
  let failure: unknown = null;
  let failed = false;
  try {
    if (armedBytes !== null) {
      const size = armedBytes;
      armedBytes = null;
      device.createBuffer({ size, usage: STORAGE_USAGE }).destroy();
    }
    result = await fn();
  } catch (e) {
    failed = true;
    failure = e;
  }
  // Scopes pop in reverse order; on a lost device they resolve with null (the loss is handled
  // by worker/device-loss.ts), and a pop that fails says nothing about the step.
  const oom = await device.popErrorScope().catch(() => null);
  const invalid = await device.popErrorScope().catch(() => null);
  if (oom) throw new GpuStepError('out-of-memory', oom.message);
  if (invalid) throw new GpuStepError('validation', invalid.message);
  if (failed) throw failure;
  return result as T;
}
