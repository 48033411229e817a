import { describe, expect, it } from 'vitest';
import { thin, verdict } from './verdict';

describe('verdict against the single-frame baseline', () => {
  it('says in plain words whether time helps', () => {
    expect(verdict('conv3d', 0.95, 0.5, 2)).toBe('Beats one frame by 45 points: it uses time.');
    expect(verdict('conv3d', 0.55, 0.5, 2)).toMatch(/At chance/);
    expect(verdict('conv3d', 0.91, 0.9, 2)).toMatch(/About the same/);
    expect(verdict('conv3d', 0.95, 0.9, 2)).toMatch(/Slightly better/);
    expect(verdict('conv3d', 0.8, 0.95, 2)).toBe('Worse than one frame by 15 points.');
    expect(verdict('conv3d', 0.9, null, 2)).toMatch(/Train single-frame/);
    expect(verdict('single-frame', 0.5, 0.5, 2)).toMatch(/one frame cannot solve/);
    expect(verdict('single-frame', null, null, 2)).toBe('Not trained yet.');
  });
  it('thins long series and keeps the last point', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const t = thin(xs, 100);
    expect(t).toHaveLength(100);
    expect(t[99]).toBe(999);
    expect(thin([1, 2], 100)).toEqual([1, 2]);
  });
});
