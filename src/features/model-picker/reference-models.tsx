// Reference models at paper scale (resnet18, r3d_18, c3d, …): every preset of the catalog that is
// too big to train here, described exactly by the worker (no weights allocated), side by side so
// a lecture can compare what time costs at real scale. Rows of the selected family are highlighted.

import { useEffect, useState } from 'react';
import { FAMILY_IDS, FAMILY_INFO, type FamilyId } from '../../models/family-info';
import { CATALOG } from '../../models/catalog';
import type { Description } from '../../models/types';
import { formatApprox, formatInt } from '../../lib/format';
import { describeModel } from '../../runtime/model-actions';
import { errorText } from '../../lib/errors';
import { LayerTable, type Column } from './architecture-table';

/** The paper-scale presets, in lecture order of their families. */
const PAPER_PRESETS = FAMILY_IDS.flatMap((family) => CATALOG[family].filter((p) => !p.trainable));

const COLUMNS: Column[] = [{ label: 'model' }, { label: 'family' }, { label: 'clip' }, { label: 'params', numeric: true }, { label: 'MACs', numeric: true }];

interface Row {
  preset: string;
  note?: string;
  description: Description;
}

export function ReferenceModels({ family }: { family: FamilyId }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all(PAPER_PRESETS.map((p) => describeModel({ family: p.family, preset: p.name }).then((description) => ({ preset: p.name, note: p.note, description })))).then(
      (r) => live && setRows(r),
      (e: unknown) => live && setFailure(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <details className="reference-models">
      <summary>Reference models at paper scale{rows ? ` (${rows.length})` : ''}</summary>
      {failure && <p className="empty">Could not describe the reference models: {failure}</p>}
      {!rows && !failure && <p className="empty">Describing…</p>}
      {rows && (
        <LayerTable testId="reference-table" columns={COLUMNS}>
          <tbody>
            {rows.map(({ preset, note, description: d }) => (
              <tr key={preset} className={d.family === family ? 'current' : undefined} title={note}>
                <td>{preset}</td>
                <td>{FAMILY_INFO[d.family].name}</td>
                <td className="shape">
                  {d.clip.numFrames}×{d.clip.height}×{d.clip.width}, {d.clip.numClasses} classes
                </td>
                <td className="num">{formatInt(d.totals.trainableParams)}</td>
                <td className="num">{formatApprox(d.totals.macs)}</td>
              </tr>
            ))}
          </tbody>
        </LayerTable>
      )}
    </details>
  );
}
