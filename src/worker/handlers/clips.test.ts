// The worker's clip store through its requests: frames put for two clips count in storedBytes;
// dropping one frees exactly its bytes, its frames can no longer be read, and dropping it again
// (or a clip never stored) changes nothing.
import { describe, expect, it } from 'vitest';
import { clipHandlers } from './clips';
import { flowHandlers } from './flow';
import { flowStore } from '../../flow/flow-store';
import { getFrames, type StoredFrames } from '../clip-store';
import type { HandlerContext } from '../protocol';

const ctx: HandlerContext = { emit: () => {}, thread: 'worker' };

function frames(clipId: string, numFrames: number, size: number): StoredFrames {
  return { clipId, numFrames, height: size, width: size, rgba: new Uint8ClampedArray(numFrames * size * size * 4), timesS: Array.from({ length: numFrames }, (_, i) => i / 10), nativeWidth: 64, nativeHeight: 48 };
}

describe('clip frames in the worker', () => {
  it('drop-frames frees a removed clip’s bytes and only those', async () => {
    const a = await clipHandlers['put-frames'](frames('drop-a', 4, 8), ctx); // 4·8·8·4 = 1024 bytes
    const both = await clipHandlers['put-frames'](frames('drop-b', 2, 16), ctx); // 2·16·16·4 = 2048 bytes
    expect(both.storedBytes - a.storedBytes).toBe(2048);

    const afterDrop = await clipHandlers['drop-frames']({ clipId: 'drop-b' }, ctx);
    expect(afterDrop.storedBytes).toBe(a.storedBytes);
    expect(() => getFrames('drop-b')).toThrow(/No frames for clip drop-b/);
    expect(getFrames('drop-a').numFrames).toBe(4);

    expect((await clipHandlers['drop-frames']({ clipId: 'drop-b' }, ctx)).storedBytes).toBe(a.storedBytes);
    expect((await clipHandlers['drop-frames']({ clipId: 'never-stored' }, ctx)).storedBytes).toBe(a.storedBytes);
    expect((await clipHandlers['drop-frames']({ clipId: 'drop-a' }, ctx)).storedBytes).toBe(a.storedBytes - 1024);
  });

  it('drop-frames frees the removed clip’s optical flow too', async () => {
    const clip = frames('drop-flow', 3, 16);
    for (let i = 0; i < clip.rgba.length; i++) clip.rgba[i] = (i * 37) % 251; // some texture
    await clipHandlers['put-frames'](clip, ctx);
    const before = flowStore.stats.bytes;
    await flowHandlers.flow({ clipId: 'drop-flow' }, ctx);
    const withFlow = flowStore.stats.bytes;
    expect(withFlow).toBeGreaterThan(before); // 2 pairs of 16×16×2 floats
    await clipHandlers['drop-frames']({ clipId: 'drop-flow' }, ctx);
    expect(flowStore.stats.bytes).toBe(before);
  });
});
