// Tensor arithmetic: the current sample as [K ×] T × H × W × C with its count of numbers and
// float32 bytes, per batch too; the whole clip at its native size and frame rate; and the
// reference figure (64 × 224² × 3). Updates as the knobs move; before a clip is sampled it shows
// what the knobs would give.

import { useAppStore } from '../../state/store';
import { selectCurrentClip, selectSample, selectSettings } from '../../state/selectors';
import { batchSentence, bytesSentence, clipSentence, referenceSentence, sampleDims, shapeSentence } from '../../lib/clip-arithmetic';

export function ArithmeticPanel() {
  const settings = useAppStore(selectSettings);
  const sample = useAppStore(selectSample);
  const clip = useAppStore(selectCurrentClip);
  const current = sample && clip && sample.clipId === clip.id ? sample : null;

  const k = current ? (current.chunks ?? 1) : settings.strategy === 'chunks' ? settings.chunks : 1;
  const t = current ? current.timesS.length / k : settings.frames;
  const h = current ? current.height : settings.size;
  const w = current ? current.width : settings.size;
  const dims = sampleDims(t, h, w, k);

  return (
    <section className="panel" aria-labelledby="arith-title">
      <h2 id="arith-title">Tensor arithmetic</h2>
      <p className="arith-label">{k > 1 ? 'Sample (K chunks × T × H × W × C)' : 'Sample (T × H × W × C)'}</p>
      <p data-testid="tensor-shape" className="tensor-shape">
        {shapeSentence(dims)}
      </p>
      <p data-testid="tensor-bytes" className="arith-line">
        {bytesSentence(dims)}
      </p>
      <p data-testid="tensor-batch" className="arith-line">
        {batchSentence(settings.batch, dims)}
      </p>
      <p className="arith-label">Whole clip at native size and frame rate</p>
      <p data-testid="tensor-clip" className="tensor-shape">
        {clip ? clipSentence(clip.durationS, clip.fps, clip.numFrames, clip.height, clip.width) : 'No clip loaded.'}
      </p>
      <p className="arith-label">Reference: 64 frames at 224 × 224</p>
      <p data-testid="tensor-reference" className="tensor-shape">
        {referenceSentence()}
      </p>
    </section>
  );
}
