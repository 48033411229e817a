// GPU error scopes around a step, with a fake device: a clean step returns its result; an
// out-of-memory or validation error caught by the scopes throws GpuStepError (and wins over
// the step's own error); scopes are always popped; the fault hook's buffer is asked for inside
// the scopes; off WebGPU the step runs as is.
import { describe, expect, it } from 'vitest';
import { armStepFault, GpuStepError, withGpuErrorScopes, type GpuErrorKind, type ScopedDevice } from './gpu-scopes';
import { describeTrainingError } from './loop-status';

/** A device whose scopes catch `errors` raised by calls made while they are open. */
function fakeDevice(maxBufferSize = 1024) {
  const stack: { filter: GpuErrorKind; error: { message: string } | null }[] = [];
  const raise = (filter: GpuErrorKind, message: string) => {
    for (let i = stack.length - 1; i >= 0; i--)
      if (stack[i].filter === filter) {
        stack[i].error ??= { message };
        return;
      }
  };
  const device: ScopedDevice & { depth(): number; raise: typeof raise; buffers: number[] } = {
    limits: { maxBufferSize },
    buffers: [],
    pushErrorScope: (filter) => void stack.push({ filter, error: null }),
    popErrorScope: async () => {
      const s = stack.pop();
      if (!s) throw new Error('empty error scope stack');
      return s.error;
    },
    createBuffer: ({ size }) => {
      device.buffers.push(size);
      if (size >= maxBufferSize) raise('out-of-memory', `Failed to allocate a buffer of ${size} bytes`);
      return { destroy() {} };
    },
    depth: () => stack.length,
    raise,
  };
  return device;
}

describe('withGpuErrorScopes', () => {
  it('returns a clean step’s result and leaves no scope open', async () => {
    const d = fakeDevice();
    expect(await withGpuErrorScopes(d, async () => 42)).toBe(42);
    expect(d.depth()).toBe(0);
  });

  it('turns an out-of-memory or a validation error into GpuStepError with plain words', async () => {
    const d = fakeDevice();
    const oom = withGpuErrorScopes(d, async () => {
      d.raise('out-of-memory', 'Out of memory allocating a storage buffer');
      return 1;
    });
    await expect(oom).rejects.toBeInstanceOf(GpuStepError);
    const e = await oom.catch((x: unknown) => x);
    expect(describeTrainingError(e)).toMatch(/^The GPU ran out of memory during a training step \(Out of memory allocating a storage buffer\)\. .*lower the batch size/);
    await expect(
      withGpuErrorScopes(d, async () => {
        d.raise('validation', 'Binding size exceeds maxStorageBufferBindingSize');
        throw new Error('a later failure in the same step');
      }),
    ).rejects.toMatchObject({ kind: 'validation', gpuMessage: 'Binding size exceeds maxStorageBufferBindingSize' });
    expect(d.depth()).toBe(0);
  });

  it('passes the step’s own error through when the scopes are clean', async () => {
    const d = fakeDevice();
    await expect(withGpuErrorScopes(d, async () => Promise.reject(new Error('no flow for this clip')))).rejects.toThrow('no flow for this clip');
    expect(d.depth()).toBe(0);
  });

  it('without a device (webgl, cpu) just runs the step', async () => {
    expect(await withGpuErrorScopes(null, async () => 'ok')).toBe('ok');
  });

  it('the fault hook asks for its buffer inside the next step’s scopes, once', async () => {
    expect(() => armStepFault()).toThrow('A GPU fault needs the WebGPU backend.'); // Node runs on cpu
    const d = fakeDevice(1024);
    expect(armStepFault(undefined, d)).toBe('the next training step also requests a 1024-byte GPU buffer');
    await expect(withGpuErrorScopes(d, async () => 1)).rejects.toMatchObject({ kind: 'out-of-memory', gpuMessage: 'Failed to allocate a buffer of 1024 bytes' });
    expect(d.buffers).toEqual([1024]);
    expect(await withGpuErrorScopes(d, async () => 2)).toBe(2);
    expect(d.buffers).toEqual([1024]);
  });
});
