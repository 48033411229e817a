// Clip loader: file picker + drop zone (several files at once), the built-in sample clips, and
// webcam recording (MediaRecorder) where the browser allows it. Each clip is validated by the
// page-side loader (data/video-open.ts); a bad one shows a specific message in the error
// banner and leaves the clips already loaded, and every setting, as they were.

import { useCallback, useEffect, useRef, useState } from 'react';
import { useAppStore, type AppState } from '../../state/store';
import type { ClipMeta } from '../../state/slices/clips-slice';
import { addClip, removeClip } from '../../runtime/clip-library';
import type { ClipInput } from '../../data/video-source';
import { formatDuration, formatFps } from '../../lib/clip-arithmetic';
import { formatBytes } from '../../lib/format';
import { WebcamRecorder } from './webcam-recorder';
import { errorText } from '../../lib/errors';

interface BuiltinClip {
  id: string;
  file: string;
  title: string;
  fps: number;
  motion: string;
}

const selectClips = (s: AppState) => s.clips;
const selectCurrent = (s: AppState) => s.currentClipId;
const selectSelectClip = (s: AppState) => s.selectClip;

const clipsBase = `${import.meta.env.BASE_URL}clips/`;

/** Load clips one after another; each failure goes to the error banner, the rest still load. */
async function loadAll(inputs: { input: ClipInput; source: ClipMeta['source'] }[], setBusy: (s: string | null) => void): Promise<void> {
  const { addClip: add, showError, clearError } = useAppStore.getState();
  clearError();
  const failures: string[] = [];
  for (const { input, source } of inputs) {
    setBusy(`Loading ${input.name}…`);
    try {
      const { id, info } = await addClip(input);
      add({ ...info, id, source });
      if (info.notice) useAppStore.getState().addNotices([info.notice]); // loaded, but the user should know (a cut file)
    } catch (e) {
      failures.push(errorText(e));
    }
  }
  setBusy(null);
  if (failures.length) showError('clip', failures.join(' '));
}

export function ClipLoader() {
  const clips = useAppStore(selectClips);
  const currentId = useAppStore(selectCurrent);
  const selectClip = useAppStore(selectSelectClip);
  const [busy, setBusy] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const [builtins, setBuiltins] = useState<BuiltinClip[] | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    fetch(`${clipsBase}manifest.json`)
      .then((r) => (r.ok ? (r.json() as Promise<{ clips: BuiltinClip[] }>) : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((m) => live && setBuiltins(m.clips))
      .catch((e: unknown) => live && useAppStore.getState().showError('clip', `The built-in clips could not be listed: ${errorText(e)}.`));
    return () => {
      live = false;
    };
  }, []);

  const loadFiles = useCallback((files: FileList | File[]) => {
    const list = [...files];
    if (list.length === 0) return;
    void loadAll(
      list.map((f) => ({ input: { blob: f, name: f.name }, source: 'upload' as const })),
      setBusy,
    );
  }, []);

  const loadBuiltin = useCallback(async (c: BuiltinClip) => {
    setBusy(`Loading ${c.title}…`);
    try {
      const r = await fetch(`${clipsBase}${c.file}`);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      await loadAll([{ input: { blob: await r.blob(), name: c.file, declaredFps: c.fps }, source: 'builtin' }], setBusy);
    } catch (e) {
      setBusy(null);
      useAppStore.getState().showError('clip', `The built-in clip ${c.file} could not be fetched: ${errorText(e)}.`);
    }
  }, []);

  const onRecorded = useCallback((blob: Blob) => {
    void loadAll([{ input: { blob, name: `webcam-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}.webm` }, source: 'webcam' }], setBusy);
  }, []);

  return (
    <section className="panel clip-loader" aria-labelledby="clip-loader-title">
      <h2 id="clip-loader-title">Clip</h2>
      <div
        data-testid="clip-drop-zone"
        className={`drop-zone${dragOver ? ' drop-zone-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragOver(true);
        }}
        onDragLeave={() => setDragOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragOver(false);
          loadFiles(e.dataTransfer.files);
        }}
      >
        <label className="file-label">
          <span>Drop video files here, or </span>
          <button type="button" onClick={() => fileRef.current?.click()} disabled={busy !== null}>
            choose files…
          </button>
          <input
            ref={fileRef}
            data-testid="clip-input"
            className="visually-hidden"
            type="file"
            accept="video/*,image/gif,.mkv,.mov,.avi,.ogv"
            multiple
            aria-label="Choose video files"
            onChange={(e) => {
              if (e.target.files) loadFiles(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        <span className="hint">MP4 (H.264), WebM (VP8/VP9/AV1), MOV, MKV, animated GIF</span>
      </div>

      <div className="controls builtin-clips" aria-label="Built-in clips">
        <span>Built-in:</span>
        {builtins === null ? (
          <span className="empty">…</span>
        ) : (
          builtins.map((c) => (
            <button key={c.id} type="button" data-testid={`builtin-${c.id}`} title={c.motion} disabled={busy !== null} onClick={() => void loadBuiltin(c)}>
              {c.title}
            </button>
          ))
        )}
      </div>

      <WebcamRecorder onRecorded={onRecorded} disabled={busy !== null} />

      <p data-testid="clip-status" className="clip-status" aria-live="polite">
        {busy ?? (clips.length === 0 ? 'No clip loaded yet.' : `${clips.length} clip${clips.length === 1 ? '' : 's'} loaded.`)}
      </p>

      {clips.length > 0 && (
        <ul data-testid="clip-list" className="clip-list">
          {clips.map((c) => (
            <li key={c.id}>
              <button type="button" data-testid="clip-item" aria-pressed={c.id === currentId} className="clip-item" onClick={() => selectClip(c.id)}>
                <strong>{c.name}</strong>
                <span data-testid="clip-meta" className="clip-meta">
                  {clipMetaText(c)}
                </span>
              </button>
              <button
                type="button"
                data-testid="clip-remove"
                className="dismiss"
                aria-label={`Remove ${c.name}`}
                title="Remove the clip (its sampled frames are freed)"
                onClick={() => void removeClip(c.id).catch((e: unknown) => useAppStore.getState().showError('clip', `${c.name} could not be removed cleanly: ${errorText(e)}`))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "2 s · 320 × 180 · 25 fps · vp9 · webm · 29.0 KiB" (fps marked when estimated or variable). */
export function clipMetaText(c: ClipMeta): string {
  const fps = `${formatFps(c.fps)} fps${c.variableFrameRate ? ' (variable)' : c.fpsEstimated ? ' (estimated)' : ''}`;
  const parts = [formatDuration(c.durationS), `${c.width} × ${c.height}`, fps, `${c.numFrames.toLocaleString('en-US')} frames`];
  if (c.codec) parts.push(c.codec);
  if (c.container !== 'unknown' && c.container !== c.codec) parts.push(c.container);
  parts.push(formatBytes(c.sizeBytes));
  if (c.source !== 'upload') parts.push(c.source);
  return parts.join(' · ');
}
