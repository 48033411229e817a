import { useAppStore } from '../../state/store';
import { selectRuntime } from '../../state/selectors';
import { backendLabel } from '../../lib/tf-backend';
import { startMainThreadRuntime } from '../../runtime/runtime-actions';

/**
 * Header badge: which tfjs backend really runs, on what adapter, and why if it fell back; while
 * a stopped worker is replaced, that it stopped; after a fault, what happened (the note).
 */
export function BackendBadge() {
  const runtime = useAppStore(selectRuntime);
  const { status, report, message } = runtime;
  let text: string;
  if (status === 'starting') text = 'starting tfjs…';
  else if (status === 'restarting') text = 'the tfjs worker stopped — restarting…';
  else if (status === 'ready' && report) text = `${backendLabel(report.backend)} (${report.backend})`;
  else text = 'no backend';
  const title = report
    ? [
        report.adapterInfo ? `Adapter: ${report.adapterInfo}` : null,
        report.thread === 'main' ? 'Running on the main thread' : 'Running in a Web Worker',
        `Warm-up ${report.warmupMs} ms`,
      ]
        .filter(Boolean)
        .join(' · ')
    : undefined;
  const shown = status === 'restarting' ? null : report;
  return (
    <div className="backend">
      <span data-testid="backend-badge" className={`badge badge-${shown?.backend ?? status}`} title={title}>
        {text}
        {shown?.adapterInfo ? <span className="badge-adapter"> · {shown.adapterInfo}</span> : null}
        {shown?.thread === 'main' ? <span className="badge-adapter"> · main thread</span> : null}
      </span>
      {shown?.fallbackReason ? (
        <span className="fallback-reason" data-testid="backend-fallback">
          {shown.fallbackReason}
        </span>
      ) : null}
      {(status === 'ready' || status === 'restarting') && message ? (
        <span className="fallback-reason" role="status" data-testid="runtime-note">
          {message}
        </span>
      ) : null}
    </div>
  );
}

/** Shown when the worker could not start: says so and offers the main-thread CPU path. */
export function RuntimeFailure() {
  const runtime = useAppStore(selectRuntime);
  if (runtime.status !== 'worker-failed' && runtime.status !== 'failed') return null;
  return (
    <div className="runtime-failure" role="alert" data-testid="runtime-failure">
      <p>{runtime.message}</p>
      {runtime.status === 'worker-failed' ? (
        <button type="button" onClick={() => void startMainThreadRuntime()}>
          Run on the main thread (CPU)
        </button>
      ) : null}
    </div>
  );
}
