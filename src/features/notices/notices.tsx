import { useAppStore, type AppState } from '../../state/store';

const selectError = (s: AppState) => s.error;
const selectClearError = (s: AppState) => s.clearError;
const selectNotices = (s: AppState) => s.notices;
const selectDismissNotice = (s: AppState) => s.dismissNotice;

/** The one current failure: what went wrong and what to do. Dismissible; never clears work. */
export function ErrorBanner() {
  const error = useAppStore(selectError);
  const clearError = useAppStore(selectClearError);
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
  const notices = useAppStore(selectNotices);
  const dismiss = useAppStore(selectDismissNotice);
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
