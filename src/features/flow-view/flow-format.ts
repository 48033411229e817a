// Text for the flow view, kept apart from the component so it is unit-tested.

/** The `flow-mean` contract text: "dx=12.3, dy=-0.4 px/s" (native pixels per second); "—" when there is no mean (too little texture, or a pair without a determined pixel). */
export function formatFlowMean(dx: number | null, dy: number | null): string {
  if (dx === null || dy === null || !Number.isFinite(dx) || !Number.isFinite(dy)) return '—';
  const f = (v: number) => {
    const r = Math.abs(v) < 0.05 ? 0 : v; // no "-0.0"
    return r.toFixed(1);
  };
  return `dx=${f(dx)}, dy=${f(dy)} px/s`;
}

/** Compass words for a mean motion, for the screen-reader/legend line ("right and slightly down"). */
export function describeMotion(dx: number, dy: number): string {
  const speed = Math.hypot(dx, dy);
  if (speed < 0.5) return 'almost still';
  const parts: string[] = [];
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  const word = (v: number, pos: string, neg: string, other: number) => {
    if (Math.abs(v) < 0.15 * speed) return null;
    return `${Math.abs(v) < 0.5 * other ? 'slightly ' : ''}${v > 0 ? pos : neg}`;
  };
  const h = word(dx, 'right', 'left', ay);
  const v = word(dy, 'down', 'up', ax);
  if (h) parts.push(h);
  if (v) parts.push(v);
  return `moving ${parts.join(' and ')} at ${speed.toFixed(1)} px/s`;
}

/** How much of the clip's motion is measurable: "12% of pixels are determined" (one decimal below 10%). */
export function formatDetermined(fraction: number): string {
  const pct = 100 * fraction;
  return `${pct.toFixed(pct < 10 ? 1 : 0)}% of pixels are determined`;
}
