import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Description } from '../models/types';

// The worker client, replaced: these tests count the requests the page would send.
const request = vi.fn();
vi.mock('./worker-client', () => ({ client: { request: (...args: unknown[]) => request(...args) } }));

const { describeModel, runGradientParity } = await import('./model-actions');

const fakeDescription = (family: string) => ({ family, totals: { trainableParams: 1 } }) as unknown as Description;

describe('describeModel', () => {
  beforeEach(() => {
    request.mockReset();
  });

  it('asks the worker once per family, preset and clip', async () => {
    request.mockImplementation(async (_name: string, args: { family: string }) => fakeDescription(args.family));
    const clip = { numFrames: 8, size: 32, numClasses: 4 };
    await describeModel({ family: 'conv3d', preset: 'tiny', ...clip });
    await describeModel({ family: 'conv3d', ...clip }); // the default preset is tiny: the same model
    await Promise.all([describeModel({ family: 'conv3d', preset: 'tiny', ...clip }), describeModel({ family: 'conv3d', preset: 'tiny', ...clip })]);
    expect(request).toHaveBeenCalledTimes(1);
    await describeModel({ family: 'conv3d', preset: 'tiny', ...clip, size: 16 });
    await describeModel({ family: 'late-fusion', ...clip });
    expect(request).toHaveBeenCalledTimes(3);
    expect(request.mock.calls.map((c) => c[0])).toEqual(['describe', 'describe', 'describe']);
  });

  it('does not keep a failed answer: the next call asks again', async () => {
    request.mockRejectedValueOnce(new Error('The tfjs runtime is not running.'));
    await expect(describeModel({ family: 'cnn-rnn', numFrames: 3 })).rejects.toThrow('not running');
    request.mockResolvedValueOnce(fakeDescription('cnn-rnn'));
    await expect(describeModel({ family: 'cnn-rnn', numFrames: 3 })).resolves.toMatchObject({ family: 'cnn-rnn' });
    expect(request).toHaveBeenCalledTimes(2);
  });
});

describe('runGradientParity', () => {
  beforeEach(() => {
    request.mockReset();
  });

  it('falls back to the preset clip, saying why, and reports both failures when that fails too', async () => {
    request.mockRejectedValueOnce(new Error('needs 8 frames')).mockResolvedValueOnce({ ok: true });
    const fell = await runGradientParity({ family: 'two-stream', preset: 'tiny_slowfast' });
    expect(fell).toEqual({ result: { ok: true }, error: null, note: 'preset clip (needs 8 frames)' });
    expect(request.mock.calls[0][1]).toMatchObject({ clip: { numFrames: 4, height: 16, width: 16 } });
    expect(request.mock.calls[1][1]).not.toHaveProperty('clip');

    request.mockRejectedValueOnce(new Error('small failed')).mockRejectedValueOnce(new Error('own failed'));
    expect(await runGradientParity({ family: 'conv3d', preset: 'tiny' })).toEqual({ result: null, error: 'own failed (on 4×16×16: small failed)', note: null });
  });
});
