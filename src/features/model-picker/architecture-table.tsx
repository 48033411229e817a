// The per-layer arithmetic of one model (a Description from the worker): output shape,
// parameters, batch-norm statistics, multiply-accumulates; layers that mix time highlighted.

import type { ReactNode } from 'react';
import type { Description } from '../../models/types';
import { formatApprox, formatBytes, formatInt } from '../../lib/format';
import { formatShape } from './zoo-format';

/** One header cell of a layer table; numeric columns are right-aligned. */
export interface Column {
  label: string;
  numeric?: boolean;
  title?: string;
}

/** The scrolling table both the architecture and the reference models use: header row from `columns`, body and footer as children. */
export function LayerTable({
  testId,
  columns,
  children,
}: {
  testId: string;
  columns: Column[];
  children: ReactNode;
}) {
  return (
    <div className="layer-table-wrap">
      <table data-testid={testId} className="layer-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                className={c.numeric ? 'num' : undefined}
                title={c.title}
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}

const COLUMNS: Column[] = [
  { label: 'layer' },
  { label: 'kind' },
  { label: 'output' },
  { label: 'params', numeric: true },
  {
    label: 'BN stats',
    numeric: true,
    title: 'batch-norm running mean and variance (non-trainable)',
  },
  { label: 'MACs', numeric: true },
];

export function ArchitectureTable({ description }: { description: Description }) {
  const { layers, totals, extras } = description;
  const temporalCount = layers.filter((r) => r.temporal).length;
  return (
    <div className="architecture">
      <LayerTable testId="layer-table" columns={COLUMNS}>
        <tbody>
          {layers.map((r, i) => (
            <tr
              key={`${r.name}-${i}`}
              className={r.temporal ? 'temporal' : undefined}
              data-temporal={r.temporal ? 'true' : undefined}
              title={r.note}
            >
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
      </LayerTable>
      <p className="empty">
        <span className="time-mark">◆</span>{' '}
        {temporalCount === 0
          ? 'no layer mixes time'
          : `${temporalCount} layer${temporalCount > 1 ? 's mix' : ' mixes'} information across time`}{' '}
        · activations {formatBytes(totals.activationBytes)} per clip
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
