/** Clip loader: file picker / drop zone. */
export function ClipLoader() {
  return (
    <section className="panel" aria-labelledby="clip-loader-title">
      <h2 id="clip-loader-title">Clip</h2>
      <label className="file-label">
        Choose video files
        <input data-testid="clip-input" type="file" accept="video/*" multiple disabled />
      </label>
      <p className="empty">Loading clips is not available yet.</p>
    </section>
  );
}
