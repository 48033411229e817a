// Motion view: the optical flow between consecutive sampled frames, as colour-wheel images
// under the frames (pair t → t+1 under frame t), an optional arrows overlay, a legend, and the
// clip's mean motion (`flow-mean`, native pixels per second), weighted by how well each pixel's
// motion is determined, with a short explanation of why (the aperture problem). The worker
// computes and caches the flow (runtime/flow-actions.ts computeFlow); this view only draws the
// plain arrays it gets back.

import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore, type AppState } from '../../state/store';
import { selectReady, selectSample, selectSetSetting, selectShowError } from '../../state/selectors';
import { FLOW_CHOICES, URL_KEYS } from '../../state/url-state';
import { computeFlow, type FlowResult } from '../../runtime/flow-actions';
import type { FlowConfig } from '../../flow/optical-flow';
import { colorWheel, sampleArrows } from '../../flow/flow-color';
import { describeMotion, formatDetermined, formatFlowMean } from './flow-format';
import { errorText } from '../../lib/errors';

/** Width of one flow thumbnail, px (the frame strip's thumbnails use the same variable). */
const THUMB_WIDTH = 96;
/** Arrows per row of a thumbnail. */
const ARROWS_ACROSS = 8;
const LEGEND_SIZE = 72;

type ViewState = { kind: 'idle' } | { kind: 'computing'; clipId: string } | { kind: 'done'; result: FlowResult } | { kind: 'error'; message: string };

export function FlowView() {
  const sample = useAppStore(selectSample);
  const ready = useAppStore(selectReady);
  const showError = useAppStore(selectShowError);
  const [state, setState] = useState<ViewState>({ kind: 'idle' });
  const [arrows, setArrows] = useState(false);
  // The flow method's main knobs, from the link (state/url-state.ts); the worker caches one flow per clip and config.
  const config = useAppStore(useShallow(selectFlowKnobs));
  const setSetting = useAppStore(selectSetSetting);

  useEffect(() => {
    if (!sample || !ready) return;
    if (sample.timesS.length < 2) return;
    let live = true;
    setState({ kind: 'computing', clipId: sample.clipId });
    computeFlow(sample.clipId, config).then(
      (result) => live && setState({ kind: 'done', result }),
      (e: unknown) => {
        if (!live) return;
        const message = `Optical flow failed: ${errorText(e)}`;
        setState({ kind: 'error', message });
        showError('flow', message);
      },
    );
    return () => {
      live = false;
    };
  }, [sample, ready, showError, config]);

  const result = state.kind === 'done' && sample && state.result.clipId === sample.clipId ? state.result : null;
  const numFrames = sample?.timesS.length ?? 0;
  const thumbHeight = sample ? Math.round((THUMB_WIDTH * sample.height) / sample.width) : THUMB_WIDTH;

  return (
    <section className="panel flow-view" aria-labelledby="flow-title">
      <h2 id="flow-title">Motion (optical flow)</h2>
      <div className="controls">
        <span>
          Mean flow{' '}
          <span data-testid="flow-mean" className="flow-mean" title="Mean motion of the clip, in native-resolution pixels per second, over the pixels whose motion is determined">
            {result ? formatFlowMean(result.meanDxPxPerS, result.meanDyPxPerS) : '—'}
          </span>
        </span>
        <label>
          <input type="checkbox" data-testid="flow-arrows-toggle" checked={arrows} onChange={(e) => setArrows(e.target.checked)} /> Arrows
        </label>
        <FlowKnobsForm value={config} onChange={setSetting} />
        <span data-testid="flow-status" className="flow-status">
          {statusText(state, result, numFrames)}
        </span>
      </div>
      {result ? (
        <div className="flow-body">
          <div data-testid="flow-strip" className="frame-strip flow-strip" aria-label="Optical flow between consecutive sampled frames">
            {Array.from({ length: numFrames }, (_, t) =>
              t < result.numPairs ? (
                <FlowThumb key={t} result={result} pair={t} width={THUMB_WIDTH} height={thumbHeight} arrows={arrows} />
              ) : (
                <div key={t} className="flow-thumb flow-thumb-last" style={{ width: THUMB_WIDTH, height: thumbHeight }} title="The last frame has no next frame">
                  —
                </div>
              ),
            )}
          </div>
          <Legend maxMagnitude={result.maxMagnitude} />
          <p className="flow-explain" data-testid="flow-explain">
            Motion is only visible where the image changes in two directions. A flat area shows no motion, and a straight edge shows only the motion across it, never
            along it (the aperture problem): a slanted edge in a sideways pan seems to move partly up or down. The mean flow therefore counts each pixel by how well its
            motion is determined (the smaller eigenvalue of its local structure tensor), so corners and texture count and flat areas and lone edges count little or
            nothing; here {formatDetermined(result.determinedFraction)}.
          </p>
        </div>
      ) : (
        <p className="empty">{sample ? null : 'Sample a clip to see its motion: each frame gets the flow to the next one.'}</p>
      )}
    </section>
  );
}

/** The knobs the view exposes (pyramidal Lucas–Kanade; the rest keep their defaults), each a link key. */
type FlowKnobs = Pick<FlowConfig, 'levels' | 'iterations' | 'windowSigma'>;
const selectFlowKnobs = (s: AppState): FlowKnobs => ({ levels: s.settings.flowlevels, iterations: s.settings.flowiters, windowSigma: s.settings.flowsigma });
const KNOB_URL_KEYS = { levels: 'flowlevels', iterations: 'flowiters', windowSigma: 'flowsigma' } as const;

const KNOB_SPECS: { key: keyof FlowKnobs; label: string; title: string }[] = [
  { key: 'levels', label: 'Pyramid levels', title: 'Coarse-to-fine levels: more levels follow faster motion' },
  { key: 'iterations', label: 'Iterations', title: 'Warp-and-solve iterations per level: more refine sub-pixel motion' },
  { key: 'windowSigma', label: 'Window σ', title: 'Size of the Lucas–Kanade window (px): larger is smoother, smaller keeps edges' },
];

function FlowKnobsForm({ value, onChange }: { value: FlowKnobs; onChange: (key: (typeof KNOB_URL_KEYS)[keyof FlowKnobs], v: number) => void }) {
  return (
    <>
      {KNOB_SPECS.map((k) => (
        <label key={k.key} title={k.title}>
          {k.label}{' '}
          <select data-testid={`flow-${k.key}`} value={value[k.key]} onChange={(e) => onChange(KNOB_URL_KEYS[k.key], Number(e.target.value))}>
            {FLOW_CHOICES[KNOB_URL_KEYS[k.key]].map((o) => (
              <option key={o} value={o}>
                {o}
                {o === URL_KEYS[KNOB_URL_KEYS[k.key]].default ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
      ))}
    </>
  );
}

function statusText(state: ViewState, result: FlowResult | null, numFrames: number): string {
  if (state.kind === 'computing') return 'computing optical flow…';
  if (state.kind === 'error') return 'flow failed (see the message above)';
  if (numFrames === 1) return 'one frame: no motion to measure';
  if (!result) return '';
  const words =
    result.meanDxPxPerS !== null && result.meanDyPxPerS !== null ? describeMotion(result.meanDxPxPerS, result.meanDyPxPerS) : `too little texture to measure motion: ${formatDetermined(result.determinedFraction)}`;
  return `${words} · ${result.numPairs} pairs at ${result.workingWidth}×${result.workingHeight}, ${result.cached ? 'cached' : `${result.computeMs} ms`} on ${result.backend}`;
}

function FlowThumb({ result, pair, width, height, arrows }: { result: FlowResult; pair: number; width: number; height: number; arrows: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { height: h, width: w } = result;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const px = result.colors.slice(pair * h * w * 4, (pair + 1) * h * w * 4);
    if (px.length === 0 || px.length !== h * w * 4) return; // a stale or empty result: draw nothing
    ctx.putImageData(new ImageData(px, w, h), 0, 0);
  }, [result, pair, h, w]);
  const field = useMemo(() => result.flows.subarray(pair * h * w * 2, (pair + 1) * h * w * 2), [result, pair, h, w]);
  const step = Math.max(1, Math.round(w / ARROWS_ACROSS));
  const marks = useMemo(() => (arrows ? sampleArrows(field, h, w, step, 0.05 * result.maxMagnitude) : []), [arrows, field, h, w, step, result.maxMagnitude]);
  // Arrow length: the clip's largest motion spans one grid cell.
  const gain = (0.9 * step) / Math.max(result.maxMagnitude, 1e-6);
  const [mx, my] = [result.pairMeanPxPerS[2 * pair], result.pairMeanPxPerS[2 * pair + 1]];
  return (
    <div className="flow-thumb" data-testid="flow-thumb" style={{ width, height }} title={`Frame ${pair + 1} → ${pair + 2}: ${formatFlowMean(mx, my)}`}>
      <canvas ref={canvas} width={w} height={h} style={{ width, height }} aria-label={`Flow colours, frame ${pair + 1} to ${pair + 2}`} />
      {arrows ? (
        <svg className="flow-arrows" data-testid="flow-arrows" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" aria-hidden="true">
          {marks.map((a, i) => {
            const x1 = a.x + 0.5;
            const y1 = a.y + 0.5;
            const x2 = x1 + a.dx * gain;
            const y2 = y1 + a.dy * gain;
            const ang = Math.atan2(y2 - y1, x2 - x1);
            const head = Math.min(step * 0.35, Math.hypot(x2 - x1, y2 - y1) * 0.5);
            return (
              <g key={i}>
                <line x1={x1} y1={y1} x2={x2} y2={y2} />
                <polyline points={`${x2 - head * Math.cos(ang - 0.5)},${y2 - head * Math.sin(ang - 0.5)} ${x2},${y2} ${x2 - head * Math.cos(ang + 0.5)},${y2 - head * Math.sin(ang + 0.5)}`} />
              </g>
            );
          })}
        </svg>
      ) : null}
    </div>
  );
}

function Legend({ maxMagnitude }: { maxMagnitude: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx) ctx.putImageData(new ImageData(colorWheel(LEGEND_SIZE), LEGEND_SIZE, LEGEND_SIZE), 0, 0);
  }, []);
  return (
    <figure className="flow-legend" data-testid="flow-legend">
      <canvas ref={canvas} width={LEGEND_SIZE} height={LEGEND_SIZE} aria-label="Colour wheel legend" />
      <figcaption>
        Hue = direction of motion (red → right, then clockwise), brightness = speed; full brightness = {maxMagnitude.toFixed(1)} px per frame pair at working size.
      </figcaption>
    </figure>
  );
}
