import type { StateCreator } from 'zustand';
import { defaultUrlState, type UrlKey, type UrlState } from '../url-state';
import { resolvePreset } from '../../models/catalog';
import type { AppState } from '../store';

/** The settings a link carries (the URL table). Written back to the URL on change. */
export interface SettingsSlice {
  settings: UrlState;
  setSetting<K extends UrlKey>(key: K, value: UrlState[K]): void;
  replaceSettings(s: UrlState): void;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  settings: defaultUrlState(),
  // Another family starts at its default (`tiny`) variant: variant names belong to one family.
  setSetting: (key, value) =>
    set((st) => {
      const settings = { ...st.settings, [key]: value };
      if (key === 'family' && value !== st.settings.family) settings.variant = resolvePreset(settings.family, null).entry.name;
      return { settings };
    }),
  replaceSettings: (settings) => set({ settings }),
});
