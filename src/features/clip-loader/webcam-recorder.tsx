// Record a few seconds from the webcam (getUserMedia + MediaRecorder) into a WebM blob that then
// loads like an upload. Where the browser cannot (no camera API, no MediaRecorder, not a secure
// context), the button is disabled and says why; a refused or missing camera gets a message.

import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../state/store';

/** Seconds recorded per take. */
const RECORD_SECONDS = 3;

function unavailableReason(): string | null {
  if (typeof window === 'undefined') return 'no browser';
  if (!window.isSecureContext) return 'the page is not a secure context (https or localhost)';
  if (!navigator.mediaDevices?.getUserMedia) return 'this browser has no camera API (getUserMedia)';
  if (typeof MediaRecorder === 'undefined') return 'this browser has no MediaRecorder';
  return null;
}

function pickMimeType(): string | undefined {
  return ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm', 'video/mp4'].find((t) => MediaRecorder.isTypeSupported(t));
}

export function WebcamRecorder({ onRecorded, disabled }: { onRecorded: (blob: Blob) => void; disabled: boolean }) {
  const [reason] = useState(unavailableReason);
  const [left, setLeft] = useState<number | null>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const stopRef = useRef<(() => void) | null>(null);

  useEffect(() => () => stopRef.current?.(), []);

  async function record() {
    const showError = useAppStore.getState().showError;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 360 } }, audio: false });
    } catch (e) {
      const name = e instanceof DOMException ? e.name : '';
      const why =
        name === 'NotAllowedError' ? 'camera permission was refused' : name === 'NotFoundError' || name === 'OverconstrainedError' ? 'no camera was found' : name === 'NotReadableError' ? 'the camera is in use by another program' : String(e);
      showError('webcam', `Could not record from the webcam: ${why}. Upload a clip or pick a built-in one instead.`);
      return;
    }
    const stopTracks = () => stream.getTracks().forEach((t) => t.stop());
    if (preview.current) {
      preview.current.srcObject = stream;
      void preview.current.play().catch(() => undefined);
    }
    const chunks: Blob[] = [];
    const mimeType = pickMimeType();
    const rec = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    rec.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
    const ticker = setInterval(() => setLeft((s) => (s === null ? null : Math.max(0, s - 1))), 1000);
    const timer = setTimeout(() => rec.state !== 'inactive' && rec.stop(), RECORD_SECONDS * 1000);
    stopRef.current = () => {
      clearTimeout(timer);
      clearInterval(ticker);
      if (rec.state !== 'inactive') rec.stop();
      stopTracks();
    };
    rec.onstop = () => {
      clearInterval(ticker);
      clearTimeout(timer);
      stopTracks();
      if (preview.current) preview.current.srcObject = null;
      setLeft(null);
      stopRef.current = null;
      const blob = new Blob(chunks, { type: rec.mimeType || 'video/webm' });
      if (blob.size === 0) showError('webcam', 'The webcam recording came out empty: the camera gave no frames. Try again, or upload a clip.');
      else onRecorded(blob);
    };
    setLeft(RECORD_SECONDS);
    rec.start(250);
  }

  return (
    <div className="controls webcam">
      <button type="button" data-testid="webcam-record" disabled={reason !== null || disabled || left !== null} title={reason ? `Webcam recording is unavailable: ${reason}.` : `Record ${RECORD_SECONDS} s from the webcam`} onClick={() => void record()}>
        {left !== null ? `Recording… ${left} s` : `Record ${RECORD_SECONDS} s from webcam`}
      </button>
      {reason && (
        <span data-testid="webcam-unavailable" className="hint">
          Webcam unavailable: {reason}.
        </span>
      )}
      <video ref={preview} className="webcam-preview" muted playsInline hidden={left === null} />
    </div>
  );
}
