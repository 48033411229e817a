import { describe, expect, it } from 'vitest';
import { formatBaselineDelta, formatShape } from './zoo-format';

describe('architecture panel formatting', () => {
  it('states the difference from the single-frame baseline with a sign and separators', () => {
    expect(formatBaselineDelta(13_877, 1_532)).toBe('+12,345 vs single frame');
    expect(formatBaselineDelta(332, 1_532)).toBe('−1,200 vs single frame');
    expect(formatBaselineDelta(1_532, 1_532)).toBe('same as single frame');
  });
  it('writes shapes with ×', () => {
    expect(formatShape([8, 16, 16, 32])).toBe('8×16×16×32');
  });
});
