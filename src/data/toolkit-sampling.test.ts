import { describe, expect, it } from 'vitest';
import { toolkitViews } from './toolkit-sampling';
import { STRATEGIES } from './sampling';

describe('sampling in MMAction2 and PySlowFast terms', () => {
  it('K chunks: SampleFrames(clip_len=T, frame_interval=s, num_clips=K) and NUM_ENSEMBLE_VIEWS=K at test time', () => {
    const [train, test] = toolkitViews({ strategy: 'chunks', numFrames: 8, stride: 4, chunks: 3, shortClip: 'loop' });
    expect(train.view).toBe('train');
    expect(train.mmaction2).toBe("dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=3, out_of_bound_opt='loop')");
    expect(test.mmaction2).toBe("dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=3, test_mode=True, out_of_bound_opt='loop')");
    expect(train.pyslowfast).toBe('DATA.NUM_FRAMES=8 DATA.SAMPLING_RATE=4');
    expect(test.pyslowfast).toBe('DATA.NUM_FRAMES=8 DATA.SAMPLING_RATE=4 TEST.NUM_ENSEMBLE_VIEWS=3');
  });
  it('random crop trains on one random window and tests on the centred one; TSN spread is clip_len=1, num_clips=T', () => {
    const [train, test] = toolkitViews({ strategy: 'random-crop', numFrames: 16, stride: 2, chunks: 5, shortClip: 'repeat-last' });
    expect(train.mmaction2).toContain('clip_len=16, frame_interval=2, num_clips=1,');
    expect(train.mmaction2).not.toContain('test_mode');
    expect(test.mmaction2).toContain("num_clips=1, test_mode=True, out_of_bound_opt='repeat_last'");
    const [spread] = toolkitViews({ strategy: 'spread', numFrames: 8, stride: 2, chunks: 1, shortClip: 'loop' });
    expect(spread.mmaction2).toContain('clip_len=1, frame_interval=1, num_clips=8');
  });
  it('every strategy has a train and a test view', () => {
    for (const strategy of STRATEGIES) expect(toolkitViews({ strategy, numFrames: 4, stride: 1, chunks: 2, shortClip: 'loop' }).map((v) => v.view)).toEqual(['train', 'test']);
  });
});
