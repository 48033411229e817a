import { describe, expect, it } from 'vitest';
import { describeMotion, formatDetermined, formatFlowMean } from './flow-format';

describe('flow view text', () => {
  it('formats the flow-mean contract', () => {
    expect(formatFlowMean(12.345, -0.42)).toBe('dx=12.3, dy=-0.4 px/s');
    expect(formatFlowMean(-0.01, 0)).toBe('dx=0.0, dy=0.0 px/s');
    expect(formatFlowMean(-80, 3)).toBe('dx=-80.0, dy=3.0 px/s');
    expect(formatFlowMean(null, null)).toBe('—');
    expect(formatFlowMean(NaN, 2)).toBe('—');
  });
  it('says how much of the clip is determined', () => {
    expect(formatDetermined(0.0031)).toBe('0.3% of pixels are determined');
    expect(formatDetermined(0.42)).toBe('42% of pixels are determined');
  });
  it('describes the motion in words', () => {
    expect(describeMotion(0.1, 0.2)).toBe('almost still');
    expect(describeMotion(100, 0)).toBe('moving right at 100.0 px/s');
    expect(describeMotion(-100, 30)).toBe('moving left and slightly down at 104.4 px/s');
    expect(describeMotion(0, -40)).toBe('moving up at 40.0 px/s');
  });
});
