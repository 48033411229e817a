import { useEffect, useRef, useState } from 'react';
import type { DatasetPreview as Preview } from '../../runtime/training-actions';

/** A few example clips of the dataset, playing in a loop, labelled by class. */
export function DatasetPreview({ preview }: { preview: Preview | null }) {
  if (!preview) return <div className="dataset-preview empty" data-testid="dataset-preview">Preview loading…</div>;
  const { numFrames: T, height: H, width: W } = preview;
  const per = T * H * W * 4;
  return (
    <div className="dataset-preview" data-testid="dataset-preview">
      {preview.labels.map((label, i) => (
        <figure key={i}>
          <ClipCanvas rgba={preview.rgba.subarray(i * per, (i + 1) * per)} numFrames={T} height={H} width={W} />
          <figcaption>{preview.classNames[label]}</figcaption>
        </figure>
      ))}
    </div>
  );
}

function ClipCanvas({ rgba, numFrames, height, width }: { rgba: Uint8ClampedArray; numFrames: number; height: number; width: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [t, setT] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setT((x) => (x + 1) % numFrames), 150);
    return () => clearInterval(id);
  }, [numFrames]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const n = height * width * 4;
    const frame = t % Math.max(1, numFrames); // the clip may have just become shorter than the last frame shown
    const px = rgba.subarray(frame * n, (frame + 1) * n);
    if (n === 0 || px.length !== n) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(px), width, height), 0, 0);
  }, [t, rgba, numFrames, height, width]);
  return <canvas ref={ref} width={width} height={height} style={{ width: 64, height: 64, imageRendering: 'pixelated' }} />;
}
