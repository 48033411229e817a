// The list of keyboard shortcuts (`?`), a modal dialog: focus moves into it, Esc or the button
// closes it and focus goes back where it was.
import { useEffect, useRef } from 'react';
import { useAppStore, type AppState } from '../../state/store';
import { SHORTCUTS } from './shortcuts';

const selectOpen = (s: AppState) => s.shortcutsOpen;
const selectSetOpen = (s: AppState) => s.setShortcutsOpen;

export function ShortcutsDialog() {
  const open = useAppStore(selectOpen);
  const setOpen = useAppStore(selectSetOpen);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const back = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => back?.focus?.();
  }, [open]);
  if (!open) return null;
  return (
    <div className="dialog-backdrop" onClick={() => setOpen(false)}>
      <div role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" className="dialog" data-testid="shortcuts-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.what}>
                <th scope="row">
                  {s.keys.map((k, i) => (k === '…' ? <span key={i}> … </span> : <kbd key={i}>{k}</kbd>))}
                </th>
                <td>
                  {s.what}
                  {s.lectureOnly ? ' (lecture layout)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="empty">Shortcuts do nothing while you type in a field. Every control is also reachable with Tab.</p>
        <button type="button" ref={closeRef} onClick={() => setOpen(false)}>
          Close (Esc)
        </button>
      </div>
    </div>
  );
}
