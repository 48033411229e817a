// The lecture layout's scene card: the current scene's title and 2–4 sentences, its question and
// the answer (revealed after a run, or on demand), the way through the scenes, full screen, and a
// lecturer's own scene file (checked by state/scenes.ts before anything changes).
import { useEffect, useState } from 'react';
import { useAppStore, type AppState } from '../../state/store';
import { parseSceneFile } from '../../state/scenes';
import { toggleFullscreen } from './shortcuts';
import { selectSetSetting } from '../../state/selectors';

const selectScenes = (s: AppState) => s.scenes;
const selectScenesFrom = (s: AppState) => s.scenesFrom;
const selectSceneNo = (s: AppState) => s.settings.scene;
const selectRevealed = (s: AppState) => s.revealed;
const selectGoTo = (s: AppState) => s.goToScene;
const selectSetRevealed = (s: AppState) => s.setRevealed;
const selectSetScenes = (s: AppState) => s.setScenes;
const selectShowShortcuts = (s: AppState) => s.setShortcutsOpen;
/** A run finished since the scene was entered: the moment to reveal the answer. */
const selectDoneRuns = (s: AppState) => s.runs.filter((r) => r.status === 'done').length;

export function LectureBar() {
  const scenes = useAppStore(selectScenes);
  const from = useAppStore(selectScenesFrom);
  const n = useAppStore(selectSceneNo);
  const revealed = useAppStore(selectRevealed);
  const goTo = useAppStore(selectGoTo);
  const setRevealed = useAppStore(selectSetRevealed);
  const setScenes = useAppStore(selectSetScenes);
  const setSetting = useAppStore(selectSetSetting);
  const showShortcuts = useAppStore(selectShowShortcuts);
  const doneRuns = useAppStore(selectDoneRuns);
  const [doneAtEntry, setDoneAtEntry] = useState<{ scene: number; done: number }>({ scene: n, done: doneRuns });
  const [fileError, setFileError] = useState<string[] | null>(null);
  if (doneAtEntry.scene !== n) setDoneAtEntry({ scene: n, done: doneRuns });
  const scene = scenes[Math.min(scenes.length, n) - 1];
  useEffect(() => {
    if (scene?.question && doneRuns > doneAtEntry.done) setRevealed(true);
  }, [doneRuns, doneAtEntry.done, scene, setRevealed]);

  async function loadFile(file: File) {
    const r = parseSceneFile(await file.text(), file.size);
    if (!r.ok) {
      setFileError(r.errors);
      return;
    }
    setFileError(null);
    setScenes(r.scenes, file.name);
    goTo(1);
  }

  if (!scene) return null;
  return (
    <section className="lecture-bar" aria-label="Lecture">
      <div className="lecture-scene" data-testid="lecture-scene" data-scene-index={n}>
        <p className="scene-count">
          Scene {n} of {scenes.length} <span className="empty">({from})</span>
        </p>
        <h2>{scene.title}</h2>
        {scene.text.map((t, i) => (
          <p key={i}>{t}</p>
        ))}
        {scene.question && (
          <div className="scene-question" data-testid="scene-question">
            <p>
              <strong>Question:</strong> {scene.question.ask}
            </p>
            {revealed ? (
              <p data-testid="scene-answer" role="status">
                <strong>Answer:</strong> {scene.question.answer}
              </p>
            ) : (
              <button type="button" onClick={() => setRevealed(true)}>
                Reveal the answer
              </button>
            )}
          </div>
        )}
      </div>
      <div className="lecture-controls">
        <button type="button" onClick={() => goTo(n - 1)} disabled={n <= 1} aria-label="Previous scene">
          ← Previous
        </button>
        <button type="button" onClick={() => goTo(n + 1)} disabled={n >= scenes.length} aria-label="Next scene">
          Next →
        </button>
        <button type="button" onClick={toggleFullscreen}>
          Full screen (f)
        </button>
        <button type="button" onClick={() => showShortcuts(true)}>
          Shortcuts (?)
        </button>
        <label>
          Your scenes (JSON){' '}
          <input type="file" accept="application/json,.json" data-testid="scene-file" onChange={(e) => e.target.files?.[0] && void loadFile(e.target.files[0])} />
        </label>
        <button type="button" onClick={() => setSetting('lecture', '0')}>
          Leave the lecture layout
        </button>
      </div>
      {fileError && (
        <div className="run-error" role="alert" data-testid="scene-file-error">
          <p>That scene file was not loaded; the current scenes are kept. What is wrong:</p>
          <ul>
            {fileError.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
