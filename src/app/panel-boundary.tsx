// One panel's render error must never blank the page in front of a room: each panel renders
// inside this boundary, which shows what failed, reports it in the error banner, and offers to
// redraw the panel. The store (clips, runs, knobs) is untouched, so nothing the user made is lost.

import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useAppStore } from '../state/store';

interface Props {
  name: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

export class PanelBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn(`The ${this.props.name} panel failed to draw`, error, info.componentStack);
    useAppStore.getState().showError(this.props.name, `The ${this.props.name} panel failed to draw (${error.message}). Your clips, runs and settings are kept; press "Redraw" to try again.`);
  }

  render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="panel panel-failed" data-testid="panel-failed" role="status">
        <h2>{this.props.name}</h2>
        <p>
          This panel failed to draw: {error.message}. Everything else keeps working, and nothing you made is lost.
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Redraw
        </button>
      </section>
    );
  }
}
