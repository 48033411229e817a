// Side effect at the edge: read the URL into the store once at start-up (parseUrlState checks
// every key, and the variant against the family's presets), then write settings back with
// history.replaceState whenever they change, so the address bar is always a link that
// reproduces the current setup.

import { parseUrlState, serializeUrlState, type UrlState } from './url-state';
import { useAppStore } from './store';

export function startUrlSync(): void {
  const { state, notices } = parseUrlState(window.location.search);
  const store = useAppStore.getState();
  store.replaceSettings(state);
  // A lecture link opens its scene: the scene's settings apply over the link's.
  if (state.lecture === '1') store.goToScene(state.scene);
  if (notices.length) store.addNotices(notices);
  let last = '';
  const write = (s: UrlState) => {
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
