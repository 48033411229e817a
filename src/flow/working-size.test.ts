import { describe, expect, it } from 'vitest';
import { downsampleFrames, FLOW_WORKING_PIXELS, workingFactor } from './working-size';

describe('flow working size', () => {
  it('keeps frames up to the target, else the smallest whole factor that fits', () => {
    expect(FLOW_WORKING_PIXELS).toBe(160 * 120);
    expect(workingFactor(112, 112)).toBe(1);
    expect(workingFactor(120, 160)).toBe(1);
    expect(workingFactor(240, 320)).toBe(2);
    expect(workingFactor(241, 321)).toBe(2); // ⌊241/2⌋·⌊321/2⌋ = 120·160 fits
    expect(workingFactor(250, 330)).toBe(3); // 125·165 does not
    expect(workingFactor(1080, 1920)).toBe(11); // 98 × 174
    expect(() => workingFactor(10, 10, 0)).toThrow(/at least 1 pixel/);
  });

  it('averages k × k blocks, cropping the remainder evenly', () => {
    // One frame of 5 × 4 RGB, value = 10·y + x in every channel.
    const data = new Float32Array(5 * 4 * 3);
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 4; x++) data.fill(10 * y + x, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3);
    const frames = { data, numFrames: 1, height: 5, width: 4 };
    expect(downsampleFrames(frames, 1)).toBe(frames);
    const d = downsampleFrames(frames, 2);
    expect([d.height, d.width]).toEqual([2, 2]);
    // Rows 0–3 (the fifth row is the remainder: ⌊1/2⌋ = 0 cropped above, 1 below).
    expect(Array.from(d.data.filter((_, i) => i % 3 === 0))).toEqual([5.5, 7.5, 25.5, 27.5]);
    expect(() => downsampleFrames(frames, 1.5)).toThrow(/whole number/);
    expect(() => downsampleFrames(frames, 5)).toThrow(/cannot be averaged down/);
  });
});
