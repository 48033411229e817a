import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultUrlState, FLOW_CHOICES, OPTIMIZER_LABELS, PANEL_IDS, parseUrlState, recipeChanges, RECIPE_KEYS, serializeUrlState, URL_KEYS, URL_KEY_NAMES, type UrlState } from './url-state';
import { FAMILY_IDS } from '../models/family-info';
import { AUGMENTS, recipeFor, trainablePresets } from '../models/catalog';
import { TASK_IDS } from '../data/synthetic/task-info';
import { SHORT_CLIP_POLICIES, STRATEGIES } from '../data/sampling';

// A family and one of its trainable variants: the pair the table accepts.
const arbModel = fc.constantFrom(...FAMILY_IDS).chain((family) => fc.record({ family: fc.constant(family), variant: fc.constantFrom(...trainablePresets(family).map((p) => p.name)) }));

const arbState: fc.Arbitrary<UrlState> = fc
  .record({
    model: arbModel,
    task: fc.constantFrom(...TASK_IDS),
    source: fc.constantFrom('synthetic', 'own'),
    clips: fc.integer({ min: 2, max: 512 }),
    valclips: fc.integer({ min: 1, max: 256 }),
    noise: fc.double({ min: 0, max: 0.5, noNaN: true }),
    objsize: fc.double({ min: 0.25, max: 3, noNaN: true }),
    short: fc.constantFrom(...SHORT_CLIP_POLICIES),
    wd: fc.double({ min: 0, max: 0.1, noNaN: true }),
    augment: fc.constantFrom(...AUGMENTS),
    flowlevels: fc.constantFrom(...FLOW_CHOICES.flowlevels),
    flowiters: fc.constantFrom(...FLOW_CHOICES.flowiters),
    flowsigma: fc.constantFrom(...FLOW_CHOICES.flowsigma),
    lecture: fc.constantFrom('0', '1'),
    scene: fc.integer({ min: 1, max: 200 }),
    hide: fc.subarray([...PANEL_IDS]),
    frames: fc.integer({ min: 1, max: 128 }),
    size: fc.integer({ min: 8, max: 448 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    backend: fc.constantFrom('auto', 'webgpu', 'webgl', 'cpu'),
    strategy: fc.constantFrom(...STRATEGIES),
    stride: fc.integer({ min: 1, max: 64 }),
    chunks: fc.integer({ min: 1, max: 16 }),
    batch: fc.integer({ min: 1, max: 256 }),
    epochs: fc.integer({ min: 1, max: 500 }),
    lr: fc.double({ min: 1e-6, max: 1, noNaN: true }),
    optimizer: fc.constantFrom(...(Object.keys(OPTIMIZER_LABELS) as UrlState['optimizer'][])),
  })
  .map(({ model, ...rest }) => ({ ...model, ...rest }));

describe('URL state', () => {
  it('the property test covers every key in the table', () => {
    const sample = fc.sample(arbState, 1)[0];
    expect(Object.keys(sample).sort()).toEqual([...URL_KEY_NAMES].sort());
  });

  it('round-trips every key', () => {
    fc.assert(
      fc.property(arbState, (s) => {
        const back = parseUrlState('?' + serializeUrlState(s));
        expect(back.notices).toEqual([]);
        expect(back.state).toEqual(s);
      }),
    );
  });

  it('an empty query gives the defaults and no notices', () => {
    expect(parseUrlState('')).toEqual({ state: defaultUrlState(), notices: [] });
  });

  const invalid: Record<keyof typeof URL_KEYS, string[]> = {
    family: ['rnn', '', 'CONV3D'],
    variant: ['', 'tiny joint', 'x'.repeat(41), '../tiny'],
    task: ['cats', ''],
    frames: ['0', '-3', '2.5', 'many', '129', ''],
    size: ['7', '1e9', 'abc'],
    seed: ['-1', '1.5', 'x'],
    backend: ['wasm', 'gpu'],
    strategy: ['every', ''],
    stride: ['0', '65'],
    chunks: ['0', '17'],
    batch: ['0', '1000'],
    epochs: ['0', 'NaN'],
    lr: ['0', '-1', 'fast', '2', 'Infinity'],
    optimizer: ['rmsprop'],
    source: ['webcam', ''],
    clips: ['1', '513', '3.5'],
    valclips: ['0', '257'],
    noise: ['-0.1', '0.6', 'lots'],
    objsize: ['0.1', '4'],
    short: ['pad', ''],
    wd: ['-1', '0.2'],
    augment: ['flip', ''],
    flowlevels: ['0', '6', '2.5'],
    flowiters: ['4', '0'],
    flowsigma: ['2.5', '0'],
    lecture: ['2', 'yes'],
    scene: ['0', '201', 'one'],
    hide: ['videos', 'clips,foo'],
  };

  for (const key of URL_KEY_NAMES) {
    it(`an invalid ${key} falls back to the default with a notice, keeping the other keys`, () => {
      for (const bad of invalid[key]) {
        const other = key === 'epochs' ? 'batch' : 'epochs';
        const p = parseUrlState(`?${key}=${encodeURIComponent(bad)}&${other}=7`);
        expect(p.state[key]).toEqual(defaultUrlState()[key]);
        expect(p.state[other]).toBe(7);
        expect(p.notices.some((n) => n.includes(`${key}=`) && n.includes('not valid'))).toBe(true);
      }
    });
  }

  it('a bare family link gives that family its recipe; other keys still override it', () => {
    const rnn = parseUrlState('?family=cnn-rnn');
    expect(rnn.notices).toEqual([]);
    for (const k of RECIPE_KEYS) expect(rnn.state[k]).toEqual(recipeFor('cnn-rnn')[k]);
    expect(recipeChanges(rnn.state)).toEqual([]);
    const changed = parseUrlState('?family=transformer&epochs=3&lr=0.01');
    expect(changed.state.size).toBe(recipeFor('transformer').size);
    expect(recipeChanges(changed.state).map((c) => [c.key, c.value, c.recipe])).toEqual([
      ['lr', '0.01', String(recipeFor('transformer').lr)],
      ['epochs', '3', String(recipeFor('transformer').epochs)],
    ]);
    // An invalid family falls back to the default family, with its recipe.
    expect(parseUrlState('?family=rnn').state).toEqual(defaultUrlState());
  });

  it('a variant the family does not have falls back to tiny with a notice naming it', () => {
    const p = parseUrlState('?family=conv3d&variant=tiny_joint&epochs=7');
    expect(p.state).toMatchObject({ family: 'conv3d', variant: 'tiny', epochs: 7 });
    expect(p.notices).toHaveLength(1);
    expect(p.notices[0]).toContain('has no variant “tiny_joint”');
    expect(parseUrlState('?family=transformer&variant=tiny_joint')).toMatchObject({ state: { variant: 'tiny_joint' }, notices: [] });
  });

  it('unknown keys are ignored with a notice', () => {
    const p = parseUrlState('?family=cnn-rnn&colour=blue');
    expect(p.state.family).toBe('cnn-rnn');
    expect(p.notices).toHaveLength(1);
    expect(p.notices[0]).toMatch(/unknown link parameter “colour”/);
  });
});
