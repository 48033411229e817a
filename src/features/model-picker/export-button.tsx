// "Export to PyTorch": downloads clipscope-<family>-<preset>.zip with model.py,
// weights.safetensors, check.json, the MMAction2 config, train.py and a README (src/export/ in
// the worker, zipped on the page by runtime/export-actions.ts). The selected run's trained model
// when it is this family and variant and not training; otherwise the variant's initial weights
// on the current clip. The sampling settings travel with it (MMAction2's SampleFrames, train.py).

import { useState } from 'react';
import type { FamilyId } from '../../models/family-info';
import { formatBytes } from '../../lib/format';
import { useAppStore, type AppState } from '../../state/store';
import { selectActiveRun, selectShowError } from '../../state/selectors';
import { exportToPytorch, type ExportedZip } from '../../runtime/export-actions';
import { errorText } from '../../lib/errors';

type State = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; zip: ExportedZip } | { kind: 'error'; message: string };

const selectSampling = (s: AppState) => s.settings.strategy;
const selectStride = (s: AppState) => s.settings.stride;
const selectChunks = (s: AppState) => s.settings.chunks;
const selectSeed = (s: AppState) => s.settings.seed;

function download(zip: ExportedZip): void {
  const url = URL.createObjectURL(new Blob([zip.zip as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = zip.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton(props: { family: FamilyId; preset: string; numFrames: number; size: number; numClasses: number }) {
  const { family, preset, numFrames, size, numClasses } = props;
  const showError = useAppStore(selectShowError);
  const run = useAppStore(selectActiveRun);
  const strategy = useAppStore(selectSampling);
  const stride = useAppStore(selectStride);
  const chunks = useAppStore(selectChunks);
  const seed = useAppStore(selectSeed);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const trained = run && run.family === family && run.preset === preset && run.status !== 'training' && run.status !== 'idle' ? run : null;
  const what = trained ? `run ${trained.id}'s trained model` : `the initial weights of ${family}:${preset} (seed ${seed})`;
  const go = () => {
    setState({ kind: 'running' });
    exportToPytorch({ family, preset, runId: trained?.id ?? null, numFrames, size, numClasses, seed, sampling: { strategy, stride, chunks } }).then(
      (zip) => {
        setState({ kind: 'done', zip });
        download(zip);
      },
      (e: unknown) => {
        const message = `Exporting ${family}:${preset} to PyTorch failed: ${errorText(e)}`;
        setState({ kind: 'error', message });
        showError('model-picker', message);
      },
    );
  };
  return (
    <div className="step-check export-pytorch">
      <button type="button" data-testid="export-pytorch" onClick={go} disabled={state.kind === 'running'}>
        {state.kind === 'running' ? 'Exporting…' : 'Export to PyTorch'}
      </button>
      <span className="empty" data-testid="export-pytorch-source" data-trained={trained ? 'true' : 'false'}>
        {` ${what}, with model.py, an MMAction2 config and train.py (zip).`}
      </span>
      <span className="empty" data-testid="export-pytorch-status" data-status={state.kind}>
        {state.kind === 'done' && ` ${state.zip.fileName} (${formatBytes(state.zip.zip.length)}): ${state.zip.files.join(', ')}; outputs checked on ${state.zip.backend}`}
        {state.kind === 'error' && ` ${state.message}`}
      </span>
    </div>
  );
}
