// The keyboard, for a lecturer at a projector (clickers send PageDown / PageUp): one table of
// shortcuts, drawn by the shortcuts dialog and read by the handler, so the list the room sees is
// the list that works. Shortcuts are ignored while typing in a field, with a modifier held, and
// (Space, Enter) on a focused button, which keeps its own meaning.

import { useEffect } from 'react';
import { useAppStore } from '../../state/store';
import { FAMILY_IDS } from '../../models/family-info';
import { playPause, resetActiveRun, trainOrResume } from '../../runtime/training-actions';

export interface Shortcut {
  keys: string[];
  what: string;
  /** Only in the lecture layout (elsewhere the keys keep the page's meaning: scrolling, buttons). */
  lectureOnly: boolean;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['→', 'PageDown'], what: 'next scene', lectureOnly: true },
  { keys: ['←', 'PageUp'], what: 'previous scene', lectureOnly: true },
  { keys: ['Space'], what: 'play / pause training', lectureOnly: true },
  { keys: ['s'], what: 'train one step', lectureOnly: true },
  { keys: ['r'], what: 'reset the run', lectureOnly: true },
  { keys: ['1', '…', '7'], what: 'choose a family, in the lesson’s order (1 single-frame … 7 transformer)', lectureOnly: false },
  { keys: ['f'], what: 'full screen on / off', lectureOnly: false },
  { keys: ['l'], what: 'lecture layout on / off', lectureOnly: false },
  { keys: ['?'], what: 'this list of shortcuts', lectureOnly: false },
  { keys: ['Esc'], what: 'close this list', lectureOnly: false },
];

/** Is the key event aimed at something that takes typing (a field), where no shortcut applies? */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  return el.isContentEditable || el.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

export function toggleFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen();
  else void document.documentElement.requestFullscreen?.().catch(() => undefined);
}

/** The one keydown handler (mounted once by the app). Returns whether it used the key. */
export function handleShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return false;
  const st = useAppStore.getState();
  const lecture = st.settings.lecture === '1';
  const onButton = typeof (e.target as Element | null)?.closest === 'function' && (e.target as Element).closest('button, a, summary') !== null;
  if (st.shortcutsOpen) {
    if (e.key === 'Escape' || e.key === '?') {
      st.setShortcutsOpen(false);
      return true;
    }
    return false;
  }
  if (e.key === '?') st.setShortcutsOpen(true);
  else if (e.key === 'f') toggleFullscreen();
  else if (e.key === 'l') st.setSetting('lecture', lecture ? '0' : '1');
  else if (/^[1-7]$/.test(e.key)) st.setSetting('family', FAMILY_IDS[Number(e.key) - 1]);
  else if (!lecture) return false;
  else if (e.key === 'ArrowRight' || e.key === 'PageDown') st.goToScene(st.settings.scene + 1);
  else if (e.key === 'ArrowLeft' || e.key === 'PageUp') st.goToScene(st.settings.scene - 1);
  else if (e.key === ' ' && !onButton) playPause();
  else if (e.key === 's') trainOrResume('step');
  else if (e.key === 'r') resetActiveRun();
  else return false;
  return true;
}

/** Mount the keyboard shortcuts on the window for the app's lifetime. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (handleShortcut(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
