import type { StateCreator } from 'zustand';
import type { AppState } from '../store';
import lessonScenes from '../lesson-scenes.json';
import { parseSceneList, sceneSettings, type Scene } from '../scenes';

/** The lesson's own scenes (checked like any scene file; a broken file fails the unit tests, not the lecture). */
const LESSON = parseSceneList(lessonScenes);
export const LESSON_SCENES: Scene[] = LESSON.ok ? LESSON.scenes : [];

/**
 * Lecture mode: the scene list (the lesson's, or a lecturer's file), whether the current scene's
 * answer is shown, and the shortcuts dialog. The layout and the scene number are link keys
 * (settings.lecture, settings.scene), so a link opens a scene.
 */
export interface LectureSlice {
  scenes: Scene[];
  /** Where the scenes came from: 'the lesson' or the lecturer's file name. */
  scenesFrom: string;
  revealed: boolean;
  shortcutsOpen: boolean;
  /** Enter scene n (1-based, clamped): its settings are applied, its answer hidden. */
  goToScene(n: number): void;
  setScenes(scenes: Scene[], from: string): void;
  setRevealed(revealed: boolean): void;
  setShortcutsOpen(open: boolean): void;
}

export const createLectureSlice: StateCreator<AppState, [], [], LectureSlice> = (set) => ({
  scenes: LESSON_SCENES,
  scenesFrom: 'the lesson',
  revealed: false,
  shortcutsOpen: false,
  goToScene: (n) =>
    set((st) => {
      if (st.scenes.length === 0) return {};
      const scene = Math.min(st.scenes.length, Math.max(1, Math.round(n)));
      return { settings: { ...sceneSettings(st.scenes[scene - 1], st.settings), scene }, revealed: false };
    }),
  setScenes: (scenes, scenesFrom) => set({ scenes, scenesFrom, revealed: false }),
  setRevealed: (revealed) => set({ revealed }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
});
