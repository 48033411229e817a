// The shape every hand-written WebGPU program of ours shares (./webgpu-conv3d/conv3d-programs.ts,
// ./webgpu-fast-ops/*.ts): a flat 1-D dispatch of `threads` invocations, 64 per workgroup, each
// handed its flat index by tfjs (`fn main(index : i32)`), with every size baked into the shader
// as a constant (one compiled pipeline per geometry; tfjs's shape uniforms go unused), reading
// and writing rank-1 views of the tensors' buffers.
//
// Large outputs: above maxComputeWorkgroupsPerDimension (65,535) workgroups, tfjs's
// runWebGPUProgram reshapes the dispatch (reshapeDispatch in backend_webgpu.js: [⌈√g⌉, ⌈√g⌉, 1],
// or [⌈∛g⌉, ⌈∛g⌉, ⌈∛g⌉] when that is still too wide; allowed because dispatchLayout has only x),
// and since the dispatch is then no longer [g, 1, 1] (isFlatDispatch in webgpu_program.js),
// getGlobalIndex() numbers the invocations across all three dimensions (linear workgroup id ×
// 64 + local index). So `index` stays the flat index, but the reshaped grid overshoots: every
// shader must return early when `index >= threads`, which prologue() does.
//
// Conditions: write bool tests with the non-short-circuit `&` and `|`, each comparison in
// parentheses. SwiftShader never finished a dispatch of our max-pool gradient while its bounds
// tests were `&&` chains inside loops (no error, the read-back just never resolved); the same
// shader with `&` ran in 60 ms. Every program here follows that rule.

import type { TensorInfo } from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Invocations per workgroup (x only). */
const WORKGROUP = 64;

/** Number of elements of a tensor of this shape. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The same buffer seen as rank 1 (no copy, no refcount change: only a program input). */
export const flatView = (t: TensorInfo): TensorInfo => ({
  dataId: t.dataId,
  shape: [sizeOf(t.shape)],
  dtype: t.dtype,
});

/** A program over a flat index: `threads` invocations writing a rank-1 output of `outputSize`. */
export abstract class FlatProgram implements WebGPUProgram {
  abstract variableNames: string[];
  outputShape: number[];
  /** Public and mutable: runWebGPUProgram replaces it with its full pipeline-cache key. */
  shaderKey: string;
  dispatchLayout = { x: [0] };
  /** Mutable too: runWebGPUProgram reshapes it when it is too wide (see above). */
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];

  constructor(
    protected readonly threads: number,
    outputSize: number,
    shaderKey: string,
  ) {
    this.outputShape = [outputSize];
    this.dispatch = [Math.ceil(threads / WORKGROUP), 1, 1];
    this.shaderKey = shaderKey;
  }

  abstract getUserCode(): string;

  /**
   * The first lines of `main`: use a uniform (tfjs binds its uniform buffer to every program, and
   * the 'auto' pipeline layout drops bindings a shader never reads, which would fail the bind
   * group), and the bounds test on `index` that a reshaped dispatch needs.
   */
  protected prologue(): string {
    return `_ = uniforms.NAN; // keep tfjs's uniform binding in the 'auto' pipeline layout
      if (index >= ${this.threads}) { return; }`;
  }
}
