// The worker's store of sampled clips: frames arrive once from the page as transferred
// buffers (RGBA bytes, already resized on the page side) and stay here, keyed by clip id, for
// the flow view, inference and "your own clips" training, until the page removes the clip
// ('drop-frames'). Plain typed arrays: no tensors are held, so nothing here can leak GPU memory.

export interface StoredFrames {
  clipId: string;
  /** Frame count T, and the working size the page resized to. */
  numFrames: number;
  height: number;
  width: number;
  /** RGBA, 8-bit, frame-major: [T, H, W, 4]. */
  rgba: Uint8ClampedArray;
  /** Timestamp of each frame in the source clip, seconds. */
  timesS: number[];
  /** The clip's native size, to scale measurements (e.g. flow) back to native pixels. */
  nativeWidth: number;
  nativeHeight: number;
}

const store = new Map<string, StoredFrames>();

export function putFrames(f: StoredFrames): void {
  const expected = f.numFrames * f.height * f.width * 4;
  if (f.rgba.length !== expected) throw new Error(`Frames for ${f.clipId}: expected ${expected} bytes (T·H·W·4), got ${f.rgba.length}.`);
  if (f.timesS.length !== f.numFrames) throw new Error(`Frames for ${f.clipId}: ${f.timesS.length} timestamps for ${f.numFrames} frames.`);
  store.set(f.clipId, f);
}

export function getFrames(clipId: string): StoredFrames {
  const f = store.get(clipId);
  if (!f) throw new Error(`No frames for clip ${clipId} in the worker: sample it first.`);
  return f;
}

/** Forget a clip's frames (the clip was removed on the page); nothing happens if none are held. */
/** Forget a clip's frames; returns them (for derived caches to drop too), or null if absent. */
export function dropFrames(clipId: string): StoredFrames | null {
  const f = store.get(clipId) ?? null;
  store.delete(clipId);
  return f;
}

export const storedBytes = (): number => [...store.values()].reduce((a, f) => a + f.rgba.byteLength, 0);
