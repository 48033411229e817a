// The clip loader's caps (training/budget.ts): at most MAX_CLIPS clips open, none bigger than
// MAX_CLIP_FILE_BYTES; a clip over either is refused with the reason before it is opened, and
// removing a clip makes room again. Opening is replaced here (no video decoding in Node).
import { describe, expect, it, vi } from 'vitest';
import { MAX_CLIP_FILE_BYTES, MAX_CLIPS } from '../training/budget';

const openClip = vi.fn(async (input: { name: string }) => ({
  info: { name: input.name },
  grab: vi.fn(),
  close: vi.fn(),
}));
vi.mock('../data/video-open', () => ({ openClip: (input: { name: string }) => openClip(input) }));
vi.mock('./worker-client', () => ({
  client: { request: async () => ({ storedBytes: 0 }) },
  WorkerGoneError: class extends Error {},
}));

const { addClip, removeClip } = await import('./clip-library');
const input = (name: string, size = 1000) => ({ name, blob: { size } as Blob });

describe('clip loader caps', () => {
  it(`refuses a file over ${MAX_CLIP_FILE_BYTES / 1024 ** 3} GiB before opening it`, async () => {
    await expect(addClip(input('huge.mp4', MAX_CLIP_FILE_BYTES + 1024 ** 3))).rejects.toThrow(
      'huge.mp4 was not added: it is 9.0 GiB, more than the 8.0 GiB a clip may be. Trim it, or export a shorter part.',
    );
    expect(openClip).not.toHaveBeenCalled();
  });

  it(`keeps at most ${MAX_CLIPS} clips open; removing one makes room`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < MAX_CLIPS; i++) ids.push((await addClip(input(`c${i}.webm`))).id);
    await expect(addClip(input('one-more.webm'))).rejects.toThrow(
      `one-more.webm was not added: ${MAX_CLIPS} clips are open, the most this page keeps. Remove a clip first.`,
    );
    expect(openClip).toHaveBeenCalledTimes(MAX_CLIPS);
    await removeClip(ids[0]);
    expect((await addClip(input('one-more.webm'))).info.name).toBe('one-more.webm');
  });
});
