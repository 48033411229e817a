// Side effect at the edge: read the URL into the store once at start-up, then write settings
// back with history.replaceState whenever they change, so the address bar is always a link
// that reproduces the current setup.

import { parseUrlState, serializeUrlState } from './url-state';
import { useAppStore } from './store';

export function startUrlSync(): void {
  const { state, notices } = parseUrlState(window.location.search);
  const store = useAppStore.getState();
  store.replaceSettings(state);
  if (notices.length) store.addNotices(notices);
  let last = '';
  const write = (s: ReturnType<typeof useAppStore.getState>['settings']) => {
    const q = serializeUrlState(s);
    if (q === last) return;
    last = q;
    window.history.replaceState(null, '', `${window.location.pathname}?${q}${window.location.hash}`);
  };
  write(useAppStore.getState().settings);
  useAppStore.subscribe((st, prev) => {
    if (st.settings !== prev.settings) write(st.settings);
  });
}
