/** Sampling explorer: timeline and frame strip of the sampled frames. */
export function SamplingExplorer() {
  return (
    <section className="panel" aria-labelledby="sampling-title">
      <h2 id="sampling-title">Sampling</h2>
      <div data-testid="frame-strip" className="frame-strip">
        <p className="empty">No clip loaded: the sampled frames will appear here.</p>
      </div>
    </section>
  );
}
