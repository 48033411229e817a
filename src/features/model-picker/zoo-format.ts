// Plain-text helpers for the architecture panel (no React, no tensors).

import { formatInt } from '../../lib/format';

/** "+12,345 vs single frame", "−1,200 vs single frame", "same as single frame". */
export function formatBaselineDelta(params: number, baseline: number): string {
  const d = params - baseline;
  if (d === 0) return 'same as single frame';
  return `${d > 0 ? '+' : '−'}${formatInt(Math.abs(d))} vs single frame`;
}

/** [8, 16, 16, 32] → "8×16×16×32". */
export const formatShape = (shape: readonly number[]): string => shape.join('×');
