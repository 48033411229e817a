import { useAppStore } from '../../state/store';
import { selectRuntime } from '../../state/selectors';
import { backendLabel } from '../../lib/tf-backend';
import { startMainThreadRuntime } from '../../runtime/runtime-actions';

/** Header badge: which tfjs backend really runs, on what adapter, and why if it fell back. */
export function BackendBadge() {
  const runtime = useAppStore(selectRuntime);
  const { status, report } = runtime;
  let text: string;
  if (status === 'starting') text = 'starting tfjs…';
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
  return (
    <div className="backend">
      <span data-testid="backend-badge" className={`badge badge-${report?.backend ?? status}`} title={title}>
        {text}
        {report?.adapterInfo ? <span className="badge-adapter"> · {report.adapterInfo}</span> : null}
        {report?.thread === 'main' ? <span className="badge-adapter"> · main thread</span> : null}
      </span>
      {report?.fallbackReason ? (
        <span className="fallback-reason" data-testid="backend-fallback">
          {report.fallbackReason}
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
