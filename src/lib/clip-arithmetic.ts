// The tensor arithmetic panel's sentences, as pure functions of plain numbers (tested in Node).
//   sample:    "16 × 112 × 112 × 3 = 602,112 numbers"
//   clip:      "1 min at 30 fps = 1,800 frames × 224 × 224 × 3 = 270,950,400 numbers"
//   reference: "64 × 224 × 224 × 3 = 9,633,792 numbers ≈ 9.6 million"

import { formatApprox, formatBytes, formatInt } from './format';

const CHANNELS = 3;
const FLOAT32_BYTES = 4;

/** 2 → "2 s", 2.5 → "2.5 s", 60 → "1 min", 90 → "1 min 30 s", 3600 → "1 h", 3725 → "1 h 2 min". */
export function formatDuration(s: number): string {
  if (s < 60) return `${trim(s < 10 ? s.toFixed(2) : s.toFixed(1))} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = Math.round(s - m * 60);
    return rest === 0 ? `${m} min` : rest === 60 ? `${m + 1} min` : `${m} min ${rest} s`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s - h * 3600) / 60);
  return m === 0 ? `${h} h` : m === 60 ? `${h + 1} h` : `${h} h ${m} min`;
}

/** 30 → "30", 29.97 → "29.97", 12.5 → "12.5". */
export const formatFps = (fps: number): string => trim(fps.toFixed(2));

function trim(x: string): string {
  return x.includes('.') ? x.replace(/0+$/, '').replace(/\.$/, '') : x;
}

/** Dimensions → "a × b × … = n numbers". */
export function shapeSentence(dims: number[]): string {
  return `${dims.join(' × ')} = ${formatInt(product(dims))} numbers`;
}

export const product = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

/** The current sample: [K ×] T × H × W × C. */
export function sampleDims(numFrames: number, height: number, width: number, chunks = 1): number[] {
  return chunks > 1 ? [chunks, numFrames, height, width, CHANNELS] : [numFrames, height, width, CHANNELS];
}

export function bytesSentence(dims: number[]): string {
  return `${formatBytes(product(dims) * FLOAT32_BYTES)} as float32`;
}

/** A batch of N samples. */
export function batchSentence(batch: number, dims: number[]): string {
  const d = [batch, ...dims];
  return `Batch of ${batch}: ${shapeSentence(d)} (${bytesSentence(d)})`;
}

/** The whole clip at native size and frame rate. */
export function clipSentence(durationS: number, fps: number, numFrames: number, height: number, width: number): string {
  const dims = [height, width, CHANNELS];
  return `${formatDuration(durationS)} at ${formatFps(fps)} fps = ${formatInt(numFrames)} frames × ${dims.join(' × ')} = ${formatInt(numFrames * product(dims))} numbers`;
}

/** The reference figure: 64 frames at 224² (the seed of the lecture). */
export function referenceSentence(): string {
  const dims = [64, 224, 224, CHANNELS];
  return `${shapeSentence(dims)} ≈ ${formatApprox(product(dims))}`;
}
