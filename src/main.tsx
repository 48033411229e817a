import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startUrlSync } from './state/url-sync';
import { startRuntime } from './runtime/runtime-actions';
import './app/app.css';

startUrlSync();
void startRuntime();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
