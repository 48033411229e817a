// The per-layer arithmetic of one model (a Description from the worker): output shape,
// parameters, batch-norm statistics, multiply-accumulates; layers that mix time highlighted.

import type { Description } from '../../models/types';
import { formatApprox, formatBytes, formatInt } from '../../lib/format';
import { formatShape } from './zoo-format';

export function ArchitectureTable({ description }: { description: Description }) {
  const { layers, totals, extras } = description;
  const temporalCount = layers.filter((r) => r.temporal).length;
  return (
    <div className="architecture">
      <div className="layer-table-wrap">
        <table data-testid="layer-table" className="layer-table">
          <thead>
            <tr>
              <th scope="col">layer</th>
              <th scope="col">kind</th>
              <th scope="col">output</th>
              <th scope="col" className="num">
                params
              </th>
              <th scope="col" className="num" title="batch-norm running mean and variance (non-trainable)">
                BN stats
              </th>
              <th scope="col" className="num">
                MACs
              </th>
            </tr>
          </thead>
          <tbody>
            {layers.map((r, i) => (
              <tr key={`${r.name}-${i}`} className={r.temporal ? 'temporal' : undefined} data-temporal={r.temporal ? 'true' : undefined} title={r.note}>
                <td>
                  {r.temporal && (
                    <span className="time-mark" aria-label="mixes time">
                      ◆{' '}
                    </span>
                  )}
                  {r.name}
                </td>
                <td>{r.kind}</td>
                <td className="shape">{formatShape(r.outputShape)}</td>
                <td className="num">{formatInt(r.trainableParams)}</td>
                <td className="num">{r.nonTrainableParams ? formatInt(r.nonTrainableParams) : ''}</td>
                <td className="num">{r.macs ? formatApprox(r.macs) : ''}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                total
              </th>
              <td className="num">{formatInt(totals.trainableParams)}</td>
              <td className="num">{formatInt(totals.nonTrainableParams)}</td>
              <td className="num">{formatApprox(totals.macs)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="empty">
        <span className="time-mark">◆</span> {temporalCount === 0 ? 'no layer mixes time' : `${temporalCount} layer${temporalCount > 1 ? 's mix' : ' mixes'} information across time`} · activations{' '}
        {formatBytes(totals.activationBytes)} per clip
      </p>
      {extras.length > 0 && (
        <dl className="model-extras" data-testid="model-extras">
          {extras.map((e) => (
            <div key={e.label}>
              <dt>{e.label}</dt>
              <dd>{e.value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
