// The preset catalog is plain data the page imports: its module graph holds no tfjs (read from
// the source files, following every import that survives compilation), and it lists exactly the
// presets the registry builds, with `trainable` = not paper-scale.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOG, resolvePreset, trainablePresets } from './catalog';
import { FAMILY_IDS } from './family-info';
import { getFamily, registeredFamilies } from './registry';

const here = dirname(fileURLToPath(import.meta.url));

/** Import specifiers of a TS file that remain at run time (`import type` / `export type` are erased). */
function valueImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const from =
    /^(?:import|export)\s+(type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*\{[^}]*\})?)\s+from\s+['"]([^'"]+)['"]/gm;
  const bare = /^import\s+['"]([^'"]+)['"]/gm;
  return [
    ...[...src.matchAll(from)].filter((m) => !m[1]).map((m) => m[2]),
    ...[...src.matchAll(bare)].map((m) => m[1]),
  ];
}

/** Every specifier reached from `entry` through relative value imports, and the files read. */
function moduleGraph(entry: string): { files: string[]; specifiers: string[] } {
  const files: string[] = [];
  const specifiers = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    for (const spec of valueImports(file)) {
      specifiers.add(spec);
      if (spec.startsWith('.'))
        visit(resolve(dirname(file), spec.endsWith('.ts') ? spec : `${spec}.ts`));
    }
  };
  visit(resolve(here, entry));
  return { files, specifiers: [...specifiers] };
}

describe('the preset catalog', () => {
  it('imports no tfjs, not even transitively', () => {
    const graph = moduleGraph('catalog.ts');
    expect(graph.files.length).toBeGreaterThan(5); // it did follow the presets
    expect(graph.specifiers.filter((s) => s.startsWith('@tensorflow'))).toEqual([]);
    expect(graph.specifiers.filter((s) => !s.startsWith('.'))).toEqual([]); // plain data: nothing outside the repo
    // The walk does see tfjs where it is: the registry builds models.
    expect(moduleGraph('registry.ts').specifiers).toContain('@tensorflow/tfjs');
  });

  it('lists every registered preset, tiny first, trainable exactly when not paper-scale', () => {
    expect(Object.keys(CATALOG)).toEqual([...FAMILY_IDS]);
    expect(registeredFamilies().map((f) => f.id)).toEqual([...FAMILY_IDS]);
    for (const family of registeredFamilies()) {
      const entries = CATALOG[family.id];
      expect(entries[0].name, family.id).toBe('tiny');
      expect(new Set(entries.map((e) => e.name))).toEqual(new Set(Object.keys(family.presets)));
      for (const e of entries) {
        const p = family.presets[e.name];
        expect(e.family).toBe(family.id);
        expect(e.trainable, `${family.id}:${e.name}`).toBe(!p.paper);
        expect(e.clip).toEqual(p.clip);
        expect(e.note).toBe(p.note);
      }
      expect(trainablePresets(family.id).map((e) => e.name)).toEqual(
        entries.filter((e) => !family.presets[e.name].paper).map((e) => e.name),
      );
    }
  });

  it('resolves variants: a trainable one as asked, anything else to tiny with a notice', () => {
    expect(resolvePreset('conv3d', 'r3d_tiny')).toEqual({
      entry: CATALOG.conv3d.find((e) => e.name === 'r3d_tiny'),
      notice: null,
    });
    for (const none of [null, undefined, ''])
      expect(resolvePreset('transformer', none)).toEqual({
        entry: CATALOG.transformer[0],
        notice: null,
      });
    const missing = resolvePreset('conv3d', 'tiny_joint');
    expect(missing.entry.name).toBe('tiny');
    expect(missing.notice).toMatch(
      /3D convolution family has no variant “tiny_joint” \(it has tiny, r3d_tiny, mc3_tiny, r2plus1d_tiny\); using tiny/,
    );
    const paper = resolvePreset('conv3d', 'r3d_18');
    expect(paper.entry.name).toBe('tiny');
    expect(paper.notice).toMatch(/“r3d_18” is a paper-scale preset .* never trained; using tiny/);
    expect(getFamily('conv3d').presets[paper.entry.name]).toBeDefined();
  });
});
