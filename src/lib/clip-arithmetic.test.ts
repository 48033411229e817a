import { describe, expect, it } from 'vitest';
import { batchSentence, clipSentence, formatDuration, formatFps, referenceSentence, sampleDims, shapeSentence, bytesSentence } from './clip-arithmetic';

describe('arithmetic sentences', () => {
  it('writes the issue’s example exactly', () => {
    expect(clipSentence(60, 30, 1800, 224, 224)).toBe('1 min at 30 fps = 1,800 frames × 224 × 224 × 3 = 270,950,400 numbers');
    expect(referenceSentence()).toBe('64 × 224 × 224 × 3 = 9,633,792 numbers ≈ 9.6 million');
    expect(shapeSentence(sampleDims(16, 112, 112))).toBe('16 × 112 × 112 × 3 = 602,112 numbers');
  });

  it('chunks add a K dimension; batches an N dimension; float32 is 4 bytes a number', () => {
    expect(shapeSentence(sampleDims(8, 32, 32, 3))).toBe('3 × 8 × 32 × 32 × 3 = 73,728 numbers');
    expect(bytesSentence(sampleDims(16, 112, 112))).toBe('2.3 MiB as float32');
    expect(batchSentence(8, sampleDims(8, 32, 32))).toBe('Batch of 8: 8 × 8 × 32 × 32 × 3 = 196,608 numbers (768.0 KiB as float32)');
  });

  it('formats durations and frame rates for people', () => {
    expect(formatDuration(2)).toBe('2 s');
    expect(formatDuration(2.5)).toBe('2.5 s');
    expect(formatDuration(0.04)).toBe('0.04 s');
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(90)).toBe('1 min 30 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(formatFps(30)).toBe('30');
    expect(formatFps(29.97)).toBe('29.97');
    expect(clipSentence(3600, 1, 3600, 36, 64)).toBe('1 h at 1 fps = 3,600 frames × 36 × 64 × 3 = 24,883,200 numbers');
  });
});
