// Backend selection, as pure logic over an injected environment so it can be unit-tested
// with a fake navigator. The worker supplies the real environment (navigator.gpu,
// OffscreenCanvas) and a `trySet` that calls tf.setBackend.
//
// Order: WebGPU → WebGL (OffscreenCanvas in the worker) → CPU. tfjs's wasm backend is not a
// training fallback: it cannot train 2D convolutions and is silently wrong on some 3D kernels
// (../shared/TFJS-NOTES.md).
import { errorText } from './errors';

export const BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
export interface AdapterLike {
  info?: AdapterInfoLike;
}
export interface BackendEnv {
  isSecureContext: boolean;
  gpu?: { requestAdapter(): Promise<AdapterLike | null> } | undefined;
  /** True when a WebGL2 context can be made (OffscreenCanvas in a worker). */
  hasWebGL2(): boolean;
}

export interface BackendReport {
  backend: BackendName;
  /** The WebGPU adapter's description, when WebGPU runs and the adapter gives one. */
  adapterInfo: string | null;
  /** Why the preferred backend(s) were not used, in plain words; null when the first choice ran. */
  fallbackReason: string | null;
  /** The backend the URL asked for, if any. */
  requested: BackendName | null;
  /** Where the tensors live: a Web Worker, or the page's main thread (the last-resort path). */
  thread: 'worker' | 'main';
  warmupMs: number;
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'CPU' };
export const backendLabel = (b: BackendName): string => LABEL[b];

export function formatAdapterInfo(info: AdapterInfoLike | undefined): string | null {
  if (!info) return null;
  if (info.description && info.description.trim()) return info.description.trim();
  const parts = [info.vendor, info.architecture, info.device].filter((s) => s && s.trim());
  return parts.length ? parts.join(' ') : null;
}

/** Candidates to try, in order. A forced backend is tried first and falls back only downward. */
export function candidateOrder(requested: BackendName | null): BackendName[] {
  if (!requested) return [...BACKENDS];
  return BACKENDS.slice(BACKENDS.indexOf(requested));
}

type Probe = { ok: true; adapterInfo: string | null } | { ok: false; reason: string };

export async function probeWebGPU(env: BackendEnv): Promise<Probe> {
  if (!env.isSecureContext) {
    return { ok: false, reason: 'the page is not a secure context (WebGPU needs https, localhost or 127.0.0.1)' };
  }
  if (!env.gpu) return { ok: false, reason: 'this browser has no navigator.gpu' };
  let adapter: AdapterLike | null;
  try {
    adapter = await env.gpu.requestAdapter();
  } catch (e) {
    return { ok: false, reason: `requestAdapter() failed: ${errorText(e)}` };
  }
  if (!adapter) {
    return { ok: false, reason: 'navigator.gpu.requestAdapter() returned no adapter (the GPU is blocklisted or WebGPU is disabled)' };
  }
  return { ok: true, adapterInfo: formatAdapterInfo(adapter.info) };
}

export function probeWebGL(env: BackendEnv): Probe {
  try {
    if (!env.hasWebGL2()) return { ok: false, reason: 'no WebGL2 context could be created on an OffscreenCanvas' };
  } catch (e) {
    return { ok: false, reason: `creating a WebGL2 context threw: ${errorText(e)}` };
  }
  return { ok: true, adapterInfo: null };
}

export interface Selection {
  backend: BackendName;
  adapterInfo: string | null;
  fallbackReason: string | null;
}

/**
 * Try each candidate: probe it, then `trySet` it (tf.setBackend + warm-up). Returns the first
 * that works with the reasons the earlier ones failed, or throws if none did.
 */
export async function selectBackend(
  requested: BackendName | null,
  env: BackendEnv,
  trySet: (name: BackendName) => Promise<void>,
): Promise<Selection> {
  const reasons: string[] = [];
  for (const name of candidateOrder(requested)) {
    const probe = name === 'webgpu' ? await probeWebGPU(env) : name === 'webgl' ? probeWebGL(env) : { ok: true as const, adapterInfo: null };
    if (!probe.ok) {
      reasons.push(`${LABEL[name]} unavailable: ${probe.reason}`);
      continue;
    }
    try {
      await trySet(name);
    } catch (e) {
      reasons.push(`${LABEL[name]} failed to start: ${errorText(e)}`);
      continue;
    }
    return { backend: name, adapterInfo: probe.adapterInfo, fallbackReason: reasons.length ? reasons.join('; ') : null };
  }
  throw new Error(`No tfjs backend could start. ${reasons.join('; ')}`);
}

