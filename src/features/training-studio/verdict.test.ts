import { describe, expect, it } from 'vitest';
import { thin, verdict } from './verdict';

describe('verdict against the single-frame baseline', () => {
  const text = (...a: Parameters<typeof verdict>) => verdict(...a).text;
  it('says in plain words whether time helps, with both accuracies and the points between them', () => {
    expect(verdict('conv3d', 0.95, 0.97, 0.5, 2)).toEqual({ kind: 'uses-time', points: 45, text: 'Beats one frame by 45 points (95% vs 50%): it uses time.' });
    expect(verdict('conv3d', 0.91, 0.92, 0.9, 2).kind).toBe('same');
    expect(verdict('conv3d', 0.95, 0.95, 0.9, 2).kind).toBe('slightly-better');
    expect(verdict('conv3d', 0.8, 0.8, 0.95, 2)).toMatchObject({ kind: 'worse', points: -15 });
    expect(verdict('conv3d', 0.9, 0.9, null, 2)).toMatchObject({ kind: 'pending', points: null });
    expect(text('single-frame', 0.5, 0.55, 0.5, 2)).toMatch(/one frame cannot solve/);
    expect(text('single-frame', null, null, null, 2)).toBe('Not trained yet.');
  });
  it('is honest: chance and memorising are told apart from "uses time"', () => {
    // At chance, learning nothing, or memorising the training clips.
    expect(verdict('cnn-rnn', 0.55, 0.6, 0.5, 2)).toMatchObject({ kind: 'chance', text: 'At chance (55%): it has not learned this task.' });
    expect(text('cnn-rnn', 0.5, 1, 0.5, 2)).toMatch(/memorised them and learned nothing/);
    // Above one frame but far above on its training clips: memorising, not "uses time".
    const m = verdict('cnn-rnn', 0.69, 1, 0.5, 2);
    expect(m.kind).toBe('memorising');
    expect(m.text).toContain('100% on its training clips but 69% on new ones');
    // Chance depends on the number of classes: 40% of 4 classes is learning something.
    expect(verdict('conv3d', 0.4, 0.42, 0.25, 4).kind).toBe('uses-time');
    expect(verdict('conv3d', 0.3, 0.3, 0.25, 4).kind).toBe('chance');
  });
  it('thins long series and keeps the last point', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const t = thin(xs, 100);
    expect(t).toHaveLength(100);
    expect(t[99]).toBe(999);
    expect(thin([1, 2], 100)).toEqual([1, 2]);
  });
});
