import { useAppStore } from '../../state/store';

/** The one current failure: what went wrong and what to do. Dismissible; never clears work. */
export function ErrorBanner() {
  const error = useAppStore((s) => s.error);
  const clearError = useAppStore((s) => s.clearError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <strong>{error.source}:</strong> <span>{error.message}</span>
      <button type="button" className="dismiss" aria-label="Dismiss error" onClick={clearError}>
        ×
      </button>
    </div>
  );
}

/** Softer notices: ignored link parameters, fallbacks. */
export function Notices() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissNotice);
  if (!notices.length) return null;
  return (
    <ul className="notices" aria-label="Notices" data-testid="notices">
      {notices.map((n, i) => (
        <li key={i}>
          {n}
          <button type="button" className="dismiss" aria-label="Dismiss notice" onClick={() => dismiss(i)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
