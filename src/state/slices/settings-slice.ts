import type { StateCreator } from 'zustand';
import { defaultUrlState, type UrlKey, type UrlState } from '../url-state';
import { recipeFor, resolvePreset } from '../../models/catalog';
import type { AppState } from '../store';

/** The settings a link carries (the URL table). Written back to the URL on change. */
export interface SettingsSlice {
  settings: UrlState;
  setSetting<K extends UrlKey>(key: K, value: UrlState[K]): void;
  replaceSettings(s: UrlState): void;
  /** Set every recipe key back to the current family's recipe (models/presets/recipe.ts). */
  applyRecipe(): void;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  settings: defaultUrlState(),
  // Another family starts at its default (`tiny`) variant (variant names belong to one family)
  // and loads its recipe: the settings that make it reach the lesson's bar.
  setSetting: (key, value) =>
    set((st) => {
      const settings = { ...st.settings, [key]: value };
      if (key === 'family' && value !== st.settings.family) Object.assign(settings, { variant: resolvePreset(settings.family, null).entry.name }, recipeFor(settings.family));
      return { settings };
    }),
  replaceSettings: (settings) => set({ settings }),
  applyRecipe: () => set((st) => ({ settings: { ...st.settings, ...recipeFor(st.settings.family) } })),
});
