// "Try one training step": the family's tiny model, built in the worker on the current clip size,
// takes one optimizer step on random clips; the page shows the loss, the time, the worker's
// tensor count before and after (equal = nothing leaked) and any weight whose gradient came out
// all zero (tfjs's silent WebGPU bugs look exactly like that).

import { useState } from 'react';
import { FAMILY_INFO, type FamilyId } from '../../models/family-info';
import { formatInt } from '../../lib/format';
import { useAppStore } from '../../state/store';
import { selectShowError } from '../../state/selectors';
import { checkStep, type StepCheckResult } from '../../runtime/model-actions';
import { errorText } from '../../lib/errors';

type Check = { kind: 'idle' } | { kind: 'running'; key: string } | { kind: 'done'; key: string; result: StepCheckResult } | { kind: 'error'; key: string; message: string };

/** Batch of random clips for the one-step check: small, so it is quick even on SwiftShader. */
const CHECK_BATCH = 2;

/**
 * "One training step": builds the family's tiny model on the current clip size in the worker,
 * takes one optimizer step on random clips, frees everything, and shows the loss, the time and
 * the worker's tensor count before and after (equal = nothing leaked).
 */
export function StepCheck(props: { family: FamilyId; preset: string; numFrames: number; size: number; numClasses: number }) {
  const { family, preset, numFrames, size, numClasses } = props;
  const showError = useAppStore(selectShowError);
  const [lastCheck, setCheck] = useState<Check>({ kind: 'idle' });
  const key = `${family}|${preset}|${numFrames}|${size}|${numClasses}`;
  // A result belongs to the model it was taken on; another family or clip size starts idle.
  const check: Check = lastCheck.kind !== 'idle' && lastCheck.key === key ? lastCheck : { kind: 'idle' };
  const run = () => {
    setCheck({ kind: 'running', key });
    checkStep({ family, preset, batch: CHECK_BATCH, numFrames, size, numClasses }).then(
      (result) => setCheck({ kind: 'done', key, result }),
      (e: unknown) => {
        const message = `One training step of ${FAMILY_INFO[family].name} failed: ${errorText(e)}`;
        setCheck({ kind: 'error', key, message });
        showError('model-picker', message);
      },
    );
  };
  const r = check.kind === 'done' ? check.result : null;
  return (
    <div className="step-check">
      <button type="button" data-testid="step-check-button" onClick={run} disabled={check.kind === 'running'}>
        {check.kind === 'running' ? 'Taking one step…' : 'Try one training step'}
      </button>
      <span className="empty" data-testid="step-check-result" data-status={check.kind} data-tensors-before={r?.numTensorsBefore} data-tensors-after={r?.numTensorsAfter} data-zero-grads={r?.zeroGradWeights.length}>
        {r &&
          ` loss ${r.loss.toFixed(3)} after one step on ${CHECK_BATCH} random clips, ${formatInt(r.ms)} ms on ${r.backend}; worker tensors ${formatInt(r.numTensorsBefore)} → ${formatInt(r.numTensorsAfter)}${r.numTensorsAfter === r.numTensorsBefore ? ' (nothing leaked)' : ' (LEAK)'}; ${r.zeroGradWeights.length === 0 ? 'every weight got a gradient' : `ALL-ZERO gradients for ${r.zeroGradWeights.join(', ')}: this backend is not training them`}`}
        {check.kind === 'error' && ` ${check.message}`}
      </span>
    </div>
  );
}
