import { describe, expect, it } from 'vitest';
import { candidateOrder, formatAdapterInfo, selectBackend, type BackendEnv, type BackendName } from './tf-backend';

const env = (over: Partial<BackendEnv> = {}): BackendEnv => ({
  isSecureContext: true,
  gpu: { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } }) },
  hasWebGL2: () => true,
  ...over,
});
const okSet = async (_: BackendName) => {};

describe('backend selection', () => {
  it('prefers WebGPU and reports the adapter', async () => {
    const s = await selectBackend(null, env(), okSet);
    expect(s).toEqual({ backend: 'webgpu', adapterInfo: 'google swiftshader', fallbackReason: null });
  });

  it('no navigator.gpu → WebGL with the reason', async () => {
    const s = await selectBackend(null, env({ gpu: undefined }), okSet);
    expect(s.backend).toBe('webgl');
    expect(s.fallbackReason).toBe('WebGPU unavailable: this browser has no navigator.gpu');
  });

  it('adapter null → WebGL with the reason', async () => {
    const s = await selectBackend(null, env({ gpu: { requestAdapter: async () => null } }), okSet);
    expect(s.backend).toBe('webgl');
    expect(s.fallbackReason).toMatch(/WebGPU unavailable: .*returned no adapter/);
  });

  it('insecure context → WebGL, saying so', async () => {
    const s = await selectBackend(null, env({ isSecureContext: false }), okSet);
    expect(s.backend).toBe('webgl');
    expect(s.fallbackReason).toMatch(/not a secure context/);
  });

  it('requestAdapter throwing → WebGL', async () => {
    const s = await selectBackend(null, env({ gpu: { requestAdapter: async () => { throw new Error('boom'); } } }), okSet);
    expect(s.backend).toBe('webgl');
    expect(s.fallbackReason).toMatch(/boom/);
  });

  it('no GPU and no WebGL2 → CPU with both reasons', async () => {
    const s = await selectBackend(null, env({ gpu: undefined, hasWebGL2: () => false }), okSet);
    expect(s.backend).toBe('cpu');
    expect(s.fallbackReason).toMatch(/WebGPU unavailable.*; WebGL unavailable/);
  });

  it('a backend whose tf.setBackend fails falls through', async () => {
    const s = await selectBackend(null, env(), async (n) => { if (n === 'webgpu') throw new Error('device lost'); });
    expect(s.backend).toBe('webgl');
    expect(s.fallbackReason).toBe('WebGPU failed to start: device lost');
  });

  it('a forced backend is used without probing the ones above it', async () => {
    let asked = false;
    const s = await selectBackend('cpu', env({ gpu: { requestAdapter: async () => { asked = true; return {}; } } }), okSet);
    expect(s).toEqual({ backend: 'cpu', adapterInfo: null, fallbackReason: null });
    expect(asked).toBe(false);
    expect(candidateOrder('webgl')).toEqual(['webgl', 'cpu']);
  });

  it('throws when nothing starts', async () => {
    await expect(selectBackend('cpu', env(), async () => { throw new Error('no'); })).rejects.toThrow(/No tfjs backend/);
  });

  it('formats adapter info, preferring the description', () => {
    expect(formatAdapterInfo({ description: 'NVIDIA H100', vendor: 'nvidia' })).toBe('NVIDIA H100');
    expect(formatAdapterInfo({})).toBeNull();
    expect(formatAdapterInfo(undefined)).toBeNull();
  });
});
