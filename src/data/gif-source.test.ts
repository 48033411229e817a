// The GIF block walk that gives frame count and durations without decoding a frame: on ffmpeg's
// animated GIF (scripts/test-clips.ts) and on block layouts built here (varying delays, colour
// tables, extensions of several sub-blocks, a cut file).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gifTiming } from './gif-source';
import { GOOD, makeTestClips } from '../../scripts/test-clips';

/** Data sub-blocks of `n` bytes in all (255 a block), then the terminator. */
const subBlocks = (n: number) => {
  const out: number[] = [];
  for (let left = n; left > 0; left -= 255) out.push(Math.min(255, left), ...new Array<number>(Math.min(255, left)).fill(7));
  return [...out, 0];
};
const control = (delayCs: number) => [0x21, 0xf9, 4, 0, delayCs & 0xff, delayCs >> 8, 0, 0];
/** An image descriptor (with a local colour table of 2^(k+1) entries when `local` is k) and `n` bytes of LZW data. */
const image = (n: number, local?: number) => [0x2c, 0, 0, 0, 0, 8, 0, 6, 0, local === undefined ? 0 : 0x80 | local, ...new Array<number>(local === undefined ? 0 : 3 * 2 ** (local + 1)).fill(1), 2, ...subBlocks(n)];

/** GIF89a, 8 × 6, a 4-colour global table, then `blocks`. */
const gif = (...blocks: number[][]) => new Uint8Array([...Buffer.from('GIF89a'), 8, 0, 6, 0, 0x81, 0, 0, ...new Array<number>(12).fill(0), ...blocks.flat()]);

describe('gifTiming', () => {
  it('ffmpeg’s animated GIF: every frame and its delay, without decoding', () => {
    const clips = makeTestClips(join(tmpdir(), 'clipscope-test-clips'));
    const t = gifTiming(new Uint8Array(readFileSync(clips['animated.gif'])));
    const { width, height, fps, durationS } = GOOD['animated.gif'];
    expect([t.width, t.height]).toEqual([width, height]);
    expect(t.delaysS).toEqual(new Array<number>(Math.round(fps * durationS)).fill(1 / fps));
  });

  it('delays per frame (0 shows for 100 ms), colour tables, comments and application blocks skipped', () => {
    const comment = [0x21, 0xfe, ...subBlocks(600)];
    const netscape = [0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0, 0];
    const t = gifTiming(gif(netscape, control(5), image(300), comment, control(0), image(10, 2), image(1000), control(200), image(40), [0x3b]));
    expect(t).toEqual({ width: 8, height: 6, delaysS: [0.05, 0.1, 0.1, 2] });
  });

  it('a cut file: the frames whose data is complete', () => {
    const whole = gif(control(10), image(50), control(10), image(50), control(10), image(600), [0x3b]);
    expect(gifTiming(whole).delaysS).toHaveLength(3);
    expect(gifTiming(whole.subarray(0, whole.length - 200)).delaysS).toEqual([0.1, 0.1]);
  });
});
