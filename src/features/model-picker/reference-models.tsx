// Reference models at paper scale (resnet18, r3d_18, c3d, …): every `paper` preset in the zoo,
// described exactly by the worker (no weights allocated), side by side so a lecture can compare
// what time costs at real scale. Rows of the selected family are highlighted.

import { useEffect, useState } from 'react';
import { FAMILY_INFO, type FamilyId } from '../../models/family-info';
import type { Description } from '../../models/types';
import { formatApprox, formatInt } from '../../lib/format';
import type { ModelZooInfo } from '../../worker/handlers/models';
import { client } from '../../runtime/worker-client';
import { errorText } from '../../lib/errors';

interface Row {
  preset: string;
  note?: string;
  description: Description;
}

export function ReferenceModels({ zoo, family }: { zoo: ModelZooInfo; family: FamilyId }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const wanted = zoo.families.flatMap((f) => f.presets.filter((p) => p.paper).map((p) => ({ family: f.id, preset: p.name, note: p.note })));
    Promise.all(wanted.map((w) => client.request('describe', { family: w.family, preset: w.preset }).then((description) => ({ preset: w.preset, note: w.note, description })))).then(
      (r) => live && setRows(r),
      (e: unknown) => live && setFailure(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [zoo]);

  return (
    <details className="reference-models">
      <summary>Reference models at paper scale{rows ? ` (${rows.length})` : ''}</summary>
      {failure && <p className="empty">Could not describe the reference models: {failure}</p>}
      {!rows && !failure && <p className="empty">Describing…</p>}
      {rows && (
        <div className="layer-table-wrap">
          <table className="layer-table" data-testid="reference-table">
            <thead>
              <tr>
                <th scope="col">model</th>
                <th scope="col">family</th>
                <th scope="col">clip</th>
                <th scope="col" className="num">
                  params
                </th>
                <th scope="col" className="num">
                  MACs
                </th>
              </tr>
            </thead>
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
          </table>
        </div>
      )}
    </details>
  );
}
