// The worker's store of sampled clips: frames arrive once from the page as transferred
// buffers (RGBA bytes, already resized on the page side) and stay here, keyed by clip id, for
// the flow view, inference and "your own clips" training, until the page removes the clip
// ('drop-frames'). Plain typed arrays: no tensors are held, so nothing here can leak GPU memory.

import { formatBytes, formatInt } from '../lib/format';
import { MAX_CLIPS, MAX_CLIP_FRAME_BYTES, MAX_FRAMES_PER_CLIP, MAX_STORED_FRAME_BYTES, MAX_STORED_FRAMES } from '../training/budget';

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

/** Keep a clip's frames (replacing its earlier sample), within the caps of training/budget.ts; throws, keeping nothing, over any. */
export function putFrames(f: StoredFrames): void {
  for (const [v, what] of [[f.numFrames, 'frame count'], [f.height, 'height'], [f.width, 'width']] as const)
    if (!(Number.isInteger(v) && v >= 1)) throw new Error(`Frames for ${f.clipId}: the ${what} must be a whole number ≥ 1, got ${v}.`);
  const expected = f.numFrames * f.height * f.width * 4;
  if (f.rgba.length !== expected) throw new Error(`Frames for ${f.clipId}: expected ${expected} bytes (T·H·W·4), got ${f.rgba.length}.`);
  if (f.timesS.length !== f.numFrames) throw new Error(`Frames for ${f.clipId}: ${f.timesS.length} timestamps for ${f.numFrames} frames.`);
  if (f.numFrames > MAX_FRAMES_PER_CLIP) throw new Error(`Not kept: ${formatInt(f.numFrames)} sampled frames of ${f.clipId}, more than the ${MAX_FRAMES_PER_CLIP} one clip may keep. Lower the frames (T) or the chunks (K).`);
  if (f.rgba.byteLength > MAX_CLIP_FRAME_BYTES) throw new Error(`Not kept: the sampled frames of ${f.clipId} take ${formatBytes(f.rgba.byteLength)}, more than the ${formatBytes(MAX_CLIP_FRAME_BYTES)} one clip may keep. Lower the frame size or the frames (T).`);
  const others = [...store.values()].filter((o) => o.clipId !== f.clipId);
  if (others.length >= MAX_CLIPS) throw new Error(`Not kept: the worker already keeps the frames of ${MAX_CLIPS} clips, the most it keeps. Remove a clip first.`);
  const frames = others.reduce((a, o) => a + o.numFrames, f.numFrames);
  if (frames > MAX_STORED_FRAMES) throw new Error(`Not kept: with ${f.clipId} the worker would keep ${formatInt(frames)} sampled frames over all clips, more than ${formatInt(MAX_STORED_FRAMES)}. Remove a clip, or sample fewer frames.`);
  const bytes = others.reduce((a, o) => a + o.rgba.byteLength, f.rgba.byteLength);
  if (bytes > MAX_STORED_FRAME_BYTES) throw new Error(`Not kept: with ${f.clipId} the worker would keep ${formatBytes(bytes)} of sampled frames over all clips, more than ${formatBytes(MAX_STORED_FRAME_BYTES)}. Remove a clip, or lower the frame size.`);
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
