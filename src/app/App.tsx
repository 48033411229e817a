import { BackendBadge, RuntimeFailure } from '../features/runtime/backend-badge';
import { ErrorBanner, Notices } from '../features/notices/notices';
import { ClipLoader } from '../features/clip-loader/clip-loader';
import { SamplingExplorer } from '../features/sampling-explorer/sampling-explorer';
import { FlowView } from '../features/flow-view/flow-view';
import { ArithmeticPanel } from '../features/arithmetic/arithmetic-panel';
import { ModelPicker } from '../features/model-picker/model-picker';
import { TrainingStudio } from '../features/training-studio/training-studio';
import { PanelBoundary } from './panel-boundary';
import { GradientCheck } from '../features/gradient-check/gradient-check';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Clipscope <span className="tagline">video models, in the browser</span>
        </h1>
        <BackendBadge />
      </header>
      <RuntimeFailure />
      <ErrorBanner />
      <Notices />
      <main className="app-main">
        <div className="column">
          <PanelBoundary name="Clips">
            <ClipLoader />
          </PanelBoundary>
          <PanelBoundary name="Sampling">
            <SamplingExplorer />
          </PanelBoundary>
          <PanelBoundary name="Motion">
            <FlowView />
          </PanelBoundary>
          <PanelBoundary name="Tensor arithmetic">
            <ArithmeticPanel />
          </PanelBoundary>
        </div>
        <div className="column">
          <PanelBoundary name="Model zoo">
            <ModelPicker />
          </PanelBoundary>
          <PanelBoundary name="Training studio">
            <TrainingStudio />
          </PanelBoundary>
          <PanelBoundary name="Gradient check">
            <GradientCheck />
          </PanelBoundary>
        </div>
      </main>
    </div>
  );
}
