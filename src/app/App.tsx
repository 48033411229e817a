import { useEffect, useState, type ReactNode } from 'react';
import { BackendBadge, RuntimeFailure } from '../features/runtime/backend-badge';
import { ErrorBanner, Notices } from '../features/notices/notices';
import { ClipLoader } from '../features/clip-loader/clip-loader';
import { SamplingExplorer } from '../features/sampling-explorer/sampling-explorer';
import { FlowView } from '../features/flow-view/flow-view';
import { ArithmeticPanel } from '../features/arithmetic/arithmetic-panel';
import { ModelPicker } from '../features/model-picker/model-picker';
import { TrainingStudio } from '../features/training-studio/training-studio';
import { GradientCheck } from '../features/gradient-check/gradient-check';
import { LectureBar } from '../features/lecture/lecture-bar';
import { ShortcutsDialog } from '../features/lecture/shortcuts-dialog';
import { useShortcuts } from '../features/lecture/shortcuts';
import { PanelBoundary } from './panel-boundary';
import { useAppStore, type AppState } from '../state/store';
import { PANEL_IDS, type PanelId } from '../state/url-state';
import { selectSetSetting } from '../state/selectors';

/** Every panel, by the id links and scenes use, in its column. */
const PANELS: Record<PanelId, { name: string; column: 0 | 1; view: () => ReactNode }> = {
  clips: { name: 'Clips', column: 0, view: () => <ClipLoader /> },
  sampling: { name: 'Sampling', column: 0, view: () => <SamplingExplorer /> },
  flow: { name: 'Motion', column: 0, view: () => <FlowView /> },
  arithmetic: { name: 'Tensor arithmetic', column: 0, view: () => <ArithmeticPanel /> },
  model: { name: 'Model zoo', column: 1, view: () => <ModelPicker /> },
  training: { name: 'Training studio', column: 1, view: () => <TrainingStudio /> },
  gradient: { name: 'Gradient check', column: 1, view: () => <GradientCheck /> },
};

const selectLecture = (s: AppState) => s.settings.lecture === '1';
const selectHide = (s: AppState) => s.settings.hide;
const selectScene = (s: AppState) => (s.settings.lecture === '1' ? (s.scenes[s.settings.scene - 1] ?? null) : null);

/** True after `ms` without pointer or key activity (the lecture layout fades its idle controls). */
function useIdle(on: boolean, ms: number): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (!on) return;
    let t = setTimeout(() => setIdle(true), ms);
    const wake = () => {
      setIdle(false);
      clearTimeout(t);
      t = setTimeout(() => setIdle(true), ms);
    };
    const events = ['pointermove', 'pointerdown', 'keydown'] as const;
    events.forEach((e) => window.addEventListener(e, wake));
    return () => {
      clearTimeout(t);
      events.forEach((e) => window.removeEventListener(e, wake));
    };
  }, [on, ms]);
  return on && idle;
}

export function App() {
  useShortcuts();
  const lecture = useAppStore(selectLecture);
  const hide = useAppStore(selectHide);
  const scene = useAppStore(selectScene);
  const setSetting = useAppStore(selectSetSetting);
  const idle = useIdle(lecture, 3000);
  const shown = PANEL_IDS.filter((id) => !hide.includes(id) && (!scene?.show || scene.show.includes(id)));
  const highlight = scene?.highlight ?? null;

  useEffect(() => {
    if (highlight) document.querySelector(`[data-panel="${highlight}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [highlight, scene]);

  const slot = (id: PanelId) => (
    <div key={id} className={id === highlight ? 'panel-slot highlight' : 'panel-slot'} data-panel={id}>
      <PanelBoundary name={PANELS[id].name}>{PANELS[id].view()}</PanelBoundary>
    </div>
  );
  return (
    <div className={`app${lecture ? ' lecture' : ''}${idle ? ' idle' : ''}`}>
      <header className="app-header">
        <h1>
          Clipscope <span className="tagline">video models, in the browser</span>
        </h1>
        <div className="header-actions">
          <button type="button" data-testid="lecture-toggle" aria-pressed={lecture} onClick={() => setSetting('lecture', lecture ? '0' : '1')}>
            {lecture ? 'Full app' : 'Lecture mode'}
          </button>
          <BackendBadge />
        </div>
      </header>
      <RuntimeFailure />
      <ErrorBanner />
      <Notices />
      <div className={lecture ? 'lecture-layout' : undefined}>
        {lecture && <LectureBar />}
        <main className="app-main">
          {[0, 1].map((col) => (
            <div className="column" key={col}>
              {shown.filter((id) => PANELS[id].column === col).map(slot)}
            </div>
          ))}
        </main>
      </div>
      <ShortcutsDialog />
    </div>
  );
}
