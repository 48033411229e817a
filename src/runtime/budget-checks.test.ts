// The page checks the one budget first: a setting whose data would not fit is refused in words
// that name the knob, and nothing is asked of the worker or grabbed from the clip. The worker
// client and the clip library are replaced here: the tests count what would have been sent.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClipMeta } from '../state/slices/clips-slice';

const request = vi.fn();
vi.mock('./worker-client', () => ({
  client: { request: (...args: unknown[]) => request(...args), onEvent: () => () => {} },
}));
const sampleClip = vi.fn();
vi.mock('./clip-library', () => ({ sampleClip: (...args: unknown[]) => sampleClip(...args) }));

const { useAppStore } = await import('../state/store');
const { previewDataset, startRun } = await import('./training-actions');
const { sampleWithSettings } = await import('./sampling-actions');
const { datasetBudget, sampleBudget } = await import('./budget-checks');

const clip: ClipMeta = {
  id: 'clip-1',
  source: 'builtin',
  name: 'slide-right.webm',
  durationS: 3,
  width: 320,
  height: 180,
  fps: 25,
  fpsEstimated: false,
  variableFrameRate: false,
  numFrames: 75,
  codec: 'vp9',
  container: 'webm',
  sizeBytes: 100_000,
};

beforeEach(() => {
  request.mockReset();
  sampleClip.mockReset();
  const st = useAppStore.getState();
  st.clearError();
  st.replaceSettings({ ...st.settings, source: 'synthetic', clips: 32, valclips: 16 });
  st.setSetting('strategy', 'uniform');
  st.setSetting('chunks', 3);
  st.setSetting('frames', 8);
  st.setSetting('size', 32);
});

describe('the page refuses before it asks the worker', () => {
  it('?frames=128&size=256: the preview and the run are refused, naming the knobs; nothing is sent', async () => {
    const st = useAppStore.getState();
    st.setSetting('frames', 128);
    st.setSetting('size', 256);
    // 2 classes × (32 + 16) clips of 128 × 256 × 256 × 3 floats: 9 GiB.
    const b = datasetBudget(useAppStore.getState())!;
    expect(b.fits).toBe(false);
    await expect(previewDataset(2)).rejects.toThrow(
      /Will not fit: this setting needs about 9\.0 GiB \(dataset 9\.0 GiB\).*To fit, lower the frame size to 80, or the frames \(T\) to 14\./,
    );
    await startRun('play');
    expect(useAppStore.getState().error).toEqual({ source: 'Training', message: b.refusal });
    expect(useAppStore.getState().runs).toHaveLength(0);
    expect(request).not.toHaveBeenCalled();
  });

  it('a setting that fits is sent: the run asks the worker’s budget (model included) before making the data', async () => {
    request.mockImplementation(async (name: string) =>
      name === 'train-budget'
        ? { fits: false, refusal: 'Will not fit: the model. To fit, lower the batch size to 2.' }
        : {},
    );
    await startRun('play');
    expect(request.mock.calls.map((c) => c[0])).toEqual(['train-budget']); // refused there: no dataset-make
    expect(request.mock.calls[0][1]).toMatchObject({
      family: 'conv3d',
      dataset: { kind: 'synthetic', numFrames: 8, size: 32, trainPerClass: 32, valPerClass: 16 },
      batchSize: 8,
    });
    expect(useAppStore.getState().error?.message).toMatch(/lower the batch size to 2/);
  });

  it('own clips: the page leaves the stored frames to the worker', () => {
    useAppStore.getState().setSetting('source', 'own');
    expect(datasetBudget(useAppStore.getState())).toBeNull();
  });

  it('chunks=16&frames=128 on a loaded clip: refused before a frame is grabbed', async () => {
    const st = useAppStore.getState();
    st.addClip(clip);
    st.setSetting('strategy', 'chunks');
    st.setSetting('chunks', 16);
    st.setSetting('frames', 128);
    await expect(sampleWithSettings(clip.id, () => false)).rejects.toThrow(
      /the sample takes 2,048 frames of the clip \(16 chunks × 128\), more than the 512 one clip may keep\. To fit, lower the frames \(T\) to 32, or the chunks \(K\) to 4\./,
    );
    expect(sampleClip).not.toHaveBeenCalled();
    expect(request).not.toHaveBeenCalled();
  });

  it('the sample budget counts the plan’s frames: K·T for chunks, the clip’s frames for dense, T otherwise', () => {
    const config = {
      strategy: 'chunks' as const,
      numFrames: 8,
      stride: 2,
      chunks: 3,
      seed: 1,
      shortClip: 'repeat-last' as const,
    };
    const px = 32 * 32 * 4;
    expect(sampleBudget(clip, config, 32).lines.find((l) => l.item === 'frames')!.bytes).toBe(
      24 * px,
    );
    expect(
      sampleBudget(clip, { ...config, strategy: 'dense' }, 32).lines.find(
        (l) => l.item === 'frames',
      )!.bytes,
    ).toBe(75 * px);
    expect(
      sampleBudget(clip, { ...config, strategy: 'uniform' }, 32).lines.find(
        (l) => l.item === 'thumbnails',
      )!.bytes,
    ).toBe(8 * px);
    expect(
      sampleBudget(clip, { ...config, strategy: 'uniform' }, 32).lines.find(
        (l) => l.item === 'flow',
      )!.bytes,
    ).toBe(7 * 32 * 32 * 2 * 4);
  });
});
