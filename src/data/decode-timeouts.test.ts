// The two waits a hostile or broken file could stretch, bounded: the MP4 index worker (no reply
// within 10 s → a refusal; a worker that fails → no fast path, the <video> decides) and the GIF
// decoder (structure or a frame not decoded within 8 s → a ClipLoadError naming the file). Both
// run here against fakes of Worker and ImageDecoder that never answer, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { probeMp4 } from './mp4-probe';
import { openGif } from './gif-source';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A Worker that takes messages and never replies (or fails when told to). */
class SilentWorker {
  static made: SilentWorker[] = [];
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  terminated = false;
  constructor() {
    SilentWorker.made.push(this);
  }
  postMessage(): void {}
  terminate(): void {
    this.terminated = true;
  }
}

describe('the MP4 index worker', () => {
  it('that never answers: a refusal after 10 s, and the worker is ended', async () => {
    vi.stubGlobal('Worker', SilentWorker);
    const p = probeMp4(new Blob([new Uint8Array(64)]));
    let settled = false;
    void p.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(9_900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.refusal).toMatch(/took over 10 s to index/);
    expect(SilentWorker.made.at(-1)?.terminated).toBe(true);
  });

  it('that fails to load: no fast path, said why, and no refusal', async () => {
    vi.stubGlobal('Worker', SilentWorker);
    const p = probeMp4(new Blob([new Uint8Array(64)]));
    SilentWorker.made.at(-1)!.onerror!({ message: '' });
    const r = await p;
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.fast).toEqual({ ok: false, reason: 'the MP4 index worker failed: it did not load' });
  });
});

/** An ImageDecoder whose structure never becomes ready (a decoder stuck on a hostile file). */
class StuckDecoder {
  static resets = 0;
  tracks = { ready: new Promise<void>(() => {}), selectedTrack: null };
  completed = new Promise<void>(() => {});
  decode(): Promise<never> {
    return new Promise<never>(() => {});
  }
  reset(): void {
    StuckDecoder.resets++;
  }
  close(): void {}
}

/** GIF89a, 8 × 6, no colour table, two frames of a few LZW bytes each, then the trailer. */
const frame = [0x21, 0xf9, 4, 0, 10, 0, 0, 0, 0x2c, 0, 0, 0, 0, 8, 0, 6, 0, 0, 2, 2, 7, 7, 0];
const tinyGif = new Uint8Array([...new TextEncoder().encode('GIF89a'), 8, 0, 6, 0, 0, 0, 0, ...frame, ...frame, 0x3b]);

describe('the GIF decoder', () => {
  it('stuck on the structure: a ClipLoadError naming the file after 8 s, the decoder reset', async () => {
    vi.stubGlobal('ImageDecoder', StuckDecoder);
    const p = openGif(new Blob([tinyGif]), 'stuck.gif');
    const caught = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(8_100);
    const e = await caught;
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/Reading the structure of .*stuck\.gif.* took over 8 s: the GIF may be corrupt, or too large/);
    expect(StuckDecoder.resets).toBeGreaterThan(0);
  });
});
