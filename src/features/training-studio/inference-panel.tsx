import { useState } from 'react';
import { inferRun, type InferenceResult } from '../../runtime/training-actions';
import { useAppStore, type AppState } from '../../state/store';
import { selectSample, selectShowError } from '../../state/selectors';
import type { RunRecord } from '../../state/slices/runs-slice';
import { errorText } from '../../lib/errors';
import { pct } from './verdict';

/** K: the chunks inference averages over, as the explorer's plan reads the clip (data/sampling.ts readPlan). */
const selectChunks = (s: AppState) => (s.settings.strategy === 'chunks' || s.settings.strategy === 'dense' ? s.settings.chunks : 1);

/**
 * Inference with the active run's model: on the sampled clip, K chunks of T frames spread over
 * it, each chunk's prediction placed on the clip's timeline and the probabilities averaged; or on
 * one validation clip of the run's data.
 */
export function InferencePanel({ run }: { run: RunRecord }) {
  const sample = useAppStore(selectSample);
  const chunks = useAppStore(selectChunks);
  const showError = useAppStore(selectShowError);
  const [result, setResult] = useState<InferenceResult | null>(null);
  const [valIndex, setValIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const usable = run.status === 'done' || run.status === 'paused';

  async function infer(target: { clipId: string } | { valIndex: number }) {
    setBusy(true);
    try {
      setResult(await inferRun(run.id, target));
    } catch (e) {
      showError('Inference', errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const span = result && result.chunks.length ? [result.chunks[0].startS, Math.max(...result.chunks.map((c) => c.endS))] : [0, 1];
  const len = Math.max(1e-9, span[1] - span[0]);
  return (
    <div className="inference" data-testid="inference-panel">
      <h3>Inference</h3>
      <div className="controls">
        <button type="button" disabled={!usable || busy || !sample} onClick={() => sample && void infer({ clipId: sample.clipId })} title={sample ? '' : 'Load and sample a clip first'}>
          Run on the sampled clip (K = {chunks})
        </button>
        <label>
          or validation clip{' '}
          <input type="number" min={0} value={valIndex} onChange={(e) => setValIndex(Math.max(0, Math.floor(Number(e.target.value) || 0)))} style={{ width: '4em' }} />
        </label>
        <button type="button" disabled={!usable || busy} onClick={() => void infer({ valIndex })}>
          Run on it
        </button>
      </div>
      {!usable && <p className="empty">Pause or finish training to run the model.</p>}
      {result && (
        <div data-testid="inference-result">
          <div className="timeline" aria-label="Chunks on the clip's timeline">
            {result.chunks.map((c, i) => {
              const top = c.probs.indexOf(Math.max(...c.probs));
              return (
                <div key={i} className="chunk" data-testid="inference-chunk" style={{ left: `${((c.startS - span[0]) / len) * 100}%`, width: `${Math.max(4, ((c.endS - c.startS) / len) * 100)}%`, top: `${i * 1.6}em` }} title={`frames ${c.startFrame}–${c.endFrame}`}>
                  {result.classNames[top]} {pct(c.probs[top])}
                </div>
              );
            })}
          </div>
          <table data-testid="inference-average" aria-label={`Mean of the ${result.chunks.length} chunks' probabilities`}>
            <tbody>
              {result.classNames.map((name, k) => (
                <tr key={name} className={k === result.predicted ? 'predicted' : undefined}>
                  <td>{name}</td>
                  <td className="bar-cell">
                    <span className="prob-bar" style={{ width: `${result.probs[k] * 100}%` }} />
                  </td>
                  <td>{pct(result.probs[k])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="empty">
            Averaged over {result.chunks.length} chunk{result.chunks.length === 1 ? '' : 's'} of the clip’s {result.totalFrames} sampled frames: <strong>{result.classNames[result.predicted]}</strong>.
          </p>
        </div>
      )}
    </div>
  );
}
