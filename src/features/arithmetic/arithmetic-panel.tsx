import { useAppStore } from '../../state/store';
import { formatInt } from '../../lib/format';

/** Tensor arithmetic: the current sample's shape and size. */
export function ArithmeticPanel() {
  const frames = useAppStore((s) => s.settings.frames);
  const size = useAppStore((s) => s.settings.size);
  const numbers = frames * size * size * 3;
  return (
    <section className="panel" aria-labelledby="arith-title">
      <h2 id="arith-title">Tensor arithmetic</h2>
      <p data-testid="tensor-shape" className="tensor-shape">
        {frames} × {size} × {size} × 3 = {formatInt(numbers)} numbers
      </p>
    </section>
  );
}
