// Sampling explorer: the knobs (T, stride, strategy, size, K, seed, short-clip policy), the clip's
// timeline with the sampled instants marked, and the frame strip of the sampled frames with their
// timestamps. Every knob is live: a change re-plans and re-grabs (the newest request wins), and
// the frames go to the worker's clip store for the flow view and the models.

import { toolkitViews } from '../../data/toolkit-sampling';
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore, type AppState } from '../../state/store';
import type { ClipMeta, SampleInfo } from '../../state/slices/clips-slice';
import { selectCurrentClip, selectReady, selectSample, selectSetSetting } from '../../state/selectors';
import { URL_KEYS } from '../../state/url-state';
import { STRATEGIES, type ShortClipPolicy, type Strategy } from '../../data/sampling';
import { sampleWithSettings, type SamplingPath } from '../../runtime/sampling-actions';
import { errorText } from '../../lib/errors';

/** Width of a frame thumbnail, px (the flow strip uses the same). */
const THUMB_WIDTH = 96;
/** Wait this long after the last knob change before grabbing (typing "64" is two changes). */
const DEBOUNCE_MS = 120;
const CHUNK_COLOURS = ['#2b6cb0', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

const STRATEGY_LABELS: Record<Strategy, string> = {
  uniform: 'uniform stride (T frames every s from the start)',
  spread: 'spread over the whole clip',
  'random-crop': 'random temporal crop (seeded; training)',
  chunks: 'K chunks (multi-chunk averaging)',
  dense: 'dense (every frame, up to 128)',
};

/** How the frames were decoded (data/video-source.ts), in the status line. */
const PATH_LABELS: Record<SamplingPath, string> = {
  webcodecs: 'WebCodecs: each keyframe group decoded once',
  seek: 'seek + draw each',
  'image-decoder': 'ImageDecoder: GIF frames',
};

const selectStrategy = (s: AppState) => s.settings.strategy;
const selectShort = (s: AppState) => s.settings.short;
/** The knobs a sample depends on: any change re-plans and re-grabs. */
const selectSamplingKnobs = (s: AppState) => ({ frames: s.settings.frames, stride: s.settings.stride, strategy: s.settings.strategy, size: s.settings.size, chunks: s.settings.chunks, seed: s.settings.seed, shortClip: s.settings.short });

type Status = { kind: 'idle' } | { kind: 'sampling' } | { kind: 'done'; ms: number; frames: number; path: SamplingPath } | { kind: 'error' };

export function SamplingExplorer() {
  const clip = useAppStore(selectCurrentClip);
  const ready = useAppStore(selectReady);
  const knobs = useAppStore(useShallow(selectSamplingKnobs));
  const sample = useAppStore(selectSample);
  const [thumbs, setThumbs] = useState<{ clipId: string; bitmaps: ImageBitmap[] } | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const generation = useRef(0);

  useEffect(() => {
    if (!clip || !ready) return;
    const gen = ++generation.current;
    const isStale = () => gen !== generation.current;
    const timer = setTimeout(() => {
      setStatus({ kind: 'sampling' });
      sampleWithSettings(clip.id, isStale).then(
        (done) => {
          if (!done) return;
          setThumbs({ clipId: clip.id, bitmaps: done.thumbs }); // the old bitmaps are closed by the effect below
          useAppStore.getState().setSample(done.sample);
          setStatus({ kind: 'done', ms: done.grabMs, frames: done.numFrames, path: done.path });
        },
        (e: unknown) => {
          if (isStale()) return;
          setStatus({ kind: 'error' });
          useAppStore.getState().showError('sampling', `Sampling ${clip.name} failed: ${errorText(e)}`);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [clip, ready, knobs]);

  useEffect(() => () => thumbs?.bitmaps.forEach((b) => b.close()), [thumbs]);

  const current = sample && clip && sample.clipId === clip.id ? sample : null;
  return (
    <section className="panel sampling-explorer" aria-labelledby="sampling-title">
      <h2 id="sampling-title">Sampling</h2>
      <Knobs />
      {clip && current ? <Timeline clip={clip} sample={current} /> : null}
      <p data-testid="sample-status" className="sample-status" aria-live="polite">
        {statusText(status, clip, ready)}
      </p>
      {current?.paddingNote && (
        <p data-testid="sample-note" className="sample-note">
          {current.paddingNote}
        </p>
      )}
      <div data-testid="frame-strip" className="frame-strip" aria-label="Sampled frames">
        {current && thumbs && thumbs.clipId === current.clipId ? (
          current.timesS.map((t, j) => <FrameThumb key={j} bitmap={thumbs.bitmaps[j]} timeS={t} frameIdx={current.frameIdx?.[j]} chunk={chunkOf(j, current)} />)
        ) : (
          <p className="empty">No clip loaded: the sampled frames will appear here.</p>
        )}
      </div>
      <ToolkitViews />
    </section>
  );
}

const selectToolkitSettings = (s: AppState) => ({ strategy: s.settings.strategy, numFrames: s.settings.frames, stride: s.settings.stride, chunks: s.settings.chunks, shortClip: s.settings.short });

/** The same sampling in MMAction2's and PySlowFast's terms, train and test views (data/toolkit-sampling.ts). */
function ToolkitViews() {
  const settings = useAppStore(useShallow(selectToolkitSettings));
  const views = toolkitViews(settings);
  return (
    <details className="toolkit-views" data-testid="toolkit-sampling" open>
      <summary>These settings in MMAction2 and PySlowFast</summary>
      <table>
        <thead>
          <tr>
            <th>view</th>
            <th>Clipscope</th>
            <th>MMAction2 pipeline</th>
            <th>PySlowFast config</th>
          </tr>
        </thead>
        <tbody>
          {views.map((v) => (
            <tr key={v.view} data-testid={`toolkit-${v.view}`}>
              <th scope="row">{v.view}</th>
              <td>{v.clipscope}</td>
              <td>
                <code>{v.mmaction2}</code>
              </td>
              <td>
                <code>{v.pyslowfast}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {views.filter((v) => v.note).map((v) => (
        <p key={v.view} className="empty">
          {v.view}: {v.note}
        </p>
      ))}
    </details>
  );
}

function chunkOf(j: number, s: SampleInfo): number {
  const k = s.chunks ?? 1;
  return k > 1 ? Math.floor(j / (s.timesS.length / k)) : 0;
}

function statusText(status: Status, clip: ClipMeta | null, ready: boolean): string {
  if (!clip) return 'Load a clip to sample it.';
  if (!ready) return 'Waiting for the tfjs runtime…';
  switch (status.kind) {
    case 'sampling':
      return 'Sampling…';
    case 'done':
      return `Sampled ${status.frames} frame${status.frames === 1 ? '' : 's'} in ${Math.round(status.ms)} ms (${PATH_LABELS[status.path]}).`;
    case 'error':
      return 'Sampling failed: see the message above.';
    default:
      return '';
  }
}

function NumberKnob({ k, label, disabled }: { k: 'frames' | 'stride' | 'size' | 'chunks' | 'seed'; label: string; disabled?: boolean }) {
  const value = useAppStore((s) => s.settings[k]); // k is fixed per knob
  const setSetting = useAppStore(selectSetSetting);
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const spec = URL_KEYS[k];
  return (
    <label className="knob">
      {label}
      <input
        type="number"
        data-testid={`knob-${k}`}
        value={text}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          const r = spec.parse(e.target.value);
          if (r.ok) setSetting(k, r.value);
        }}
        onBlur={() => setText(String(useAppStore.getState().settings[k]))}
      />
    </label>
  );
}

function Knobs() {
  const strategy = useAppStore(selectStrategy);
  const short = useAppStore(selectShort);
  const setSetting = useAppStore(selectSetSetting);
  return (
    <div className="controls knobs">
      <label className="knob">
        Strategy
        <select data-testid="knob-strategy" value={strategy} onChange={(e) => setSetting('strategy', e.target.value as Strategy)}>
          {STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {STRATEGY_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <NumberKnob k="frames" label="Frames T" disabled={strategy === 'dense'} />
      <NumberKnob k="stride" label="Stride s" disabled={strategy === 'spread' || strategy === 'dense'} />
      <NumberKnob k="size" label="Size H = W" />
      <NumberKnob k="chunks" label="Chunks K" disabled={strategy !== 'chunks'} />
      <NumberKnob k="seed" label="Seed" disabled={strategy !== 'random-crop'} />
      <label className="knob">
        Short clip
        <select data-testid="knob-short-clip" value={short} onChange={(e) => setSetting('short', e.target.value as ShortClipPolicy)}>
          <option value="repeat-last">repeat the last frame</option>
          <option value="loop">loop to the start</option>
        </select>
      </label>
    </div>
  );
}

/** The clip's timeline: one tick per frame when they fit, the sampled instants marked per chunk. */
function Timeline({ clip, sample }: { clip: ClipMeta; sample: SampleInfo }) {
  const w = 600;
  const h = 34;
  const x = (t: number) => (t / clip.durationS) * w;
  const n = clip.numFrames;
  return (
    <svg data-testid="sample-timeline" className="timeline" viewBox={`0 0 ${w} ${h + 14}`} role="img" aria-label={`Timeline of ${clip.name}: ${sample.timesS.length} sampled instants`}>
      <rect x={0} y={8} width={w} height={h - 16} fill="#eef1f5" stroke="#c9d1db" />
      {n > 1 && n <= 600 && Array.from({ length: n }, (_, i) => <line key={i} x1={(i / n) * w} x2={(i / n) * w} y1={12} y2={h - 12} stroke="#d6dce4" strokeWidth={0.5} />)}
      {sample.timesS.map((t, j) => (
        <line key={j} data-testid="sample-tick" x1={x(t)} x2={x(t)} y1={2} y2={h - 2} stroke={CHUNK_COLOURS[chunkOf(j, sample) % CHUNK_COLOURS.length]} strokeWidth={2} />
      ))}
      <text x={0} y={h + 12} fontSize={10} fill="#5a6472">
        0 s
      </text>
      <text x={w} y={h + 12} fontSize={10} fill="#5a6472" textAnchor="end">
        {clip.durationS.toFixed(2)} s
      </text>
    </svg>
  );
}

function FrameThumb({ bitmap, timeS, frameIdx, chunk }: { bitmap: ImageBitmap | undefined; timeS: number; frameIdx: number | undefined; chunk: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c || !bitmap) return;
    c.width = bitmap.width;
    c.height = bitmap.height;
    c.getContext('2d')?.drawImage(bitmap, 0, 0);
  }, [bitmap]);
  const height = bitmap ? Math.round((THUMB_WIDTH * bitmap.height) / bitmap.width) : THUMB_WIDTH;
  return (
    <figure data-testid="frame-thumb" className="frame-thumb" style={{ borderColor: CHUNK_COLOURS[chunk % CHUNK_COLOURS.length] }}>
      <canvas ref={ref} style={{ width: THUMB_WIDTH, height }} />
      <figcaption>
        {timeS.toFixed(2)} s{frameIdx !== undefined ? ` · #${frameIdx}` : ''}
      </figcaption>
    </figure>
  );
}
