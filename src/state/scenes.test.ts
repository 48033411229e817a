import { describe, expect, it } from 'vitest';
import lessonScenes from './lesson-scenes.json';
import { parseSceneFile, parseSceneList, sceneSettings } from './scenes';
import { defaultUrlState } from './url-state';
import { recipeFor } from '../models/catalog';

describe('lecture scenes', () => {
  it('the lesson’s own scene list is valid, in the lesson’s order', () => {
    const r = parseSceneList(lessonScenes);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.scenes.length).toBeGreaterThanOrEqual(10);
    expect(r.scenes[0].title).toContain('tensor');
    expect(r.scenes[r.scenes.length - 1].title).toContain('verdict');
    for (const s of r.scenes) expect(s.text.length).toBeGreaterThanOrEqual(2);
  });

  it('entering a scene sets its family (with the recipe and tiny variant) and the keys it names', () => {
    const r = parseSceneList({ version: 1, scenes: [{ title: 'x', text: ['a'], settings: { family: 'cnn-rnn', task: 'appearance-shape', chunks: 4 } }] });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const s = sceneSettings(r.scenes[0], { ...defaultUrlState('conv3d'), lr: 0.5, seed: 9 });
    expect(s).toMatchObject({ family: 'cnn-rnn', variant: 'tiny', task: 'appearance-shape', chunks: 4, lr: recipeFor('cnn-rnn').lr, seed: 9 });
  });

  it('a bad scene list is refused with what is wrong, scene by scene', () => {
    const bad = (json: unknown) => {
      const r = parseSceneList(json);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.errors.join('\n');
    };
    expect(bad([])).toMatch(/not a scene list/);
    expect(bad({ version: 2, scenes: [] })).toMatch(/version.*2.*reads version 1/);
    expect(bad({ version: 1, scenes: [{ title: 'a', text: ['b'], settings: { family: 'rnn' } }] })).toMatch(/Scene 1: settings.family “rnn” is not valid/);
    expect(bad({ version: 1, scenes: [{ title: 'a', text: ['b'], settings: { variant: 'tiny_joint' } }] })).toMatch(/variant needs settings.family/);
    expect(bad({ version: 1, scenes: [{ title: 'a', text: ['b'], settings: { family: 'conv3d', variant: 'tiny_joint' } }] })).toMatch(/has no variant “tiny_joint”/);
    expect(bad({ version: 1, scenes: [{ title: 'a', text: ['b'], settings: { scene: '2' } }] })).toMatch(/no key “scene”/);
    expect(bad({ version: 1, scenes: [{ title: 'a', text: ['b'], show: ['model'], highlight: 'flow' }] })).toMatch(/not among the panels it shows/);
    expect(bad({ version: 1, scenes: [{ title: 'a', text: ['b'], colour: 'red' }] })).toMatch(/unknown field “colour”/);
    expect(bad({ version: 1, scenes: [{ title: '', text: [] }, { text: 'x' }] })).toMatch(/Scene 1: "title"[\s\S]*Scene 2:/);
    expect(bad({ version: 1, scenes: Array.from({ length: 101 }, () => ({ title: 'a', text: ['b'] })) })).toMatch(/at most 100/);
  });

  it('a file that is not JSON, or too large, is refused before it is parsed', () => {
    expect(parseSceneFile('{ nope', 6)).toMatchObject({ ok: false, errors: [expect.stringMatching(/not JSON/)] });
    expect(parseSceneFile('{}', 1024 * 1024)).toMatchObject({ ok: false, errors: [expect.stringMatching(/at most 256 KiB/)] });
  });
});
