// put-frames within the caps of training/budget.ts: frames per clip, bytes per clip, clips kept,
// frames and bytes over all clips. A refused put keeps nothing (and replaces nothing); a clip
// sampled again replaces its own frames, so it never counts twice.
import { afterEach, describe, expect, it } from 'vitest';
import { clipHandlers } from './clips';
import { dropFrames, getFrames, type StoredFrames } from '../clip-store';
import type { HandlerContext } from '../protocol';
import {
  MAX_CLIP_FRAME_BYTES,
  MAX_CLIPS,
  MAX_FRAMES_PER_CLIP,
  MAX_STORED_FRAME_BYTES,
  MAX_STORED_FRAMES,
} from '../../training/budget';

const ctx: HandlerContext = { emit: () => {}, thread: 'worker' };
const put = (f: StoredFrames) => clipHandlers['put-frames'](f, ctx);

function frames(clipId: string, numFrames: number, size = 1): StoredFrames {
  return {
    clipId,
    numFrames,
    height: size,
    width: size,
    rgba: new Uint8ClampedArray(numFrames * size * size * 4),
    timesS: Array.from({ length: numFrames }, (_, i) => i),
    nativeWidth: 8,
    nativeHeight: 8,
  };
}

/**
 * A message claiming `numFrames` frames of size × size with a buffer of exactly that length: the
 * store checks the caps from the header before it reads a byte, so the test need not allocate
 * gigabytes to send one.
 */
function claimed(clipId: string, numFrames: number, size: number): StoredFrames {
  const n = numFrames * size * size * 4;
  return {
    ...frames(clipId, 0),
    numFrames,
    height: size,
    width: size,
    timesS: Array.from({ length: numFrames }, (_, i) => i),
    rgba: { length: n, byteLength: n } as Uint8ClampedArray,
  };
}

// Dropped from the store directly: the claimed buffers hold no frames for drop-frames' flow cleanup to read.
const stored: string[] = [];
afterEach(() => {
  for (const clipId of stored.splice(0)) dropFrames(clipId);
});

async function putKept(f: StoredFrames): Promise<number> {
  stored.push(f.clipId);
  return (await put(f)).storedBytes;
}

describe('put-frames caps', () => {
  it('one clip: at most 512 frames, at most 256 MiB', async () => {
    await putKept(frames('cap-512', MAX_FRAMES_PER_CLIP));
    await expect(put(frames('cap-513', MAX_FRAMES_PER_CLIP + 1))).rejects.toThrow(
      /Not kept: 513 sampled frames of cap-513, more than the 512 one clip may keep\. Lower the frames \(T\) or the chunks \(K\)\./,
    );
    // 300 frames of 480 × 480: 263.7 MiB.
    expect(300 * 480 * 480 * 4).toBeGreaterThan(MAX_CLIP_FRAME_BYTES);
    await expect(put(claimed('cap-big', 300, 480))).rejects.toThrow(
      /Not kept: the sampled frames of cap-big take 263\.7 MiB, more than the 256\.0 MiB one clip may keep\. Lower the frame size or the frames \(T\)\./,
    );
    expect(() => getFrames('cap-513')).toThrow(/No frames/);
    expect(() => getFrames('cap-big')).toThrow(/No frames/);
    await expect(put({ ...frames('cap-neg', 1), numFrames: -1 })).rejects.toThrow(
      /frame count must be a whole number ≥ 1, got -1/,
    );
  });

  it(`at most ${MAX_CLIPS} clips; a clip sampled again replaces its frames`, async () => {
    for (let i = 0; i < MAX_CLIPS; i++) await putKept(frames(`cap-n${i}`, 2));
    const full = await putKept(frames('cap-n0', 3)); // the same clip again: replaced, not added
    await expect(put(frames('cap-one-more', 1))).rejects.toThrow(
      /Not kept: the worker already keeps the frames of 32 clips, the most it keeps\. Remove a clip first\./,
    );
    expect(getFrames('cap-n0').numFrames).toBe(3);
    expect((await put(frames('cap-n1', 2))).storedBytes).toBe(full); // still within the caps
  });

  it(`at most ${MAX_STORED_FRAMES} frames over all clips`, async () => {
    const clips = MAX_STORED_FRAMES / MAX_FRAMES_PER_CLIP; // 8 full clips
    for (let i = 0; i < clips; i++) await putKept(frames(`cap-f${i}`, MAX_FRAMES_PER_CLIP));
    const before = (await put(frames('cap-f0', MAX_FRAMES_PER_CLIP))).storedBytes;
    await expect(put(frames('cap-f-extra', 1))).rejects.toThrow(
      /Not kept: with cap-f-extra the worker would keep 4,097 sampled frames over all clips, more than 4,096\. Remove a clip, or sample fewer frames\./,
    );
    expect((await put(frames('cap-f0', MAX_FRAMES_PER_CLIP - 1))).storedBytes).toBe(before - 4); // fewer frames of a kept clip: fine
  });

  it('at most 1 GiB of frames over all clips', async () => {
    // Four clips of 250 MiB (250 frames of 512 × 512) fit; a fifth would make 1.2 GiB.
    for (let i = 0; i < 4; i++) await putKept(claimed(`cap-b${i}`, 250, 512));
    expect(5 * 250 * 512 * 512 * 4).toBeGreaterThan(MAX_STORED_FRAME_BYTES);
    await expect(put(claimed('cap-b4', 250, 512))).rejects.toThrow(
      /Not kept: with cap-b4 the worker would keep 1\.2 GiB of sampled frames over all clips, more than 1\.0 GiB\. Remove a clip, or lower the frame size\./,
    );
  });
});
