// Lecture scenes as data: a scene sets the live app's state (link keys: family, variant, task,
// sampling…), names the panels it needs and the one it talks about, and says 2–4 sentences,
// optionally asking the room a question whose answer is revealed after a run. The lesson's
// scenes are src/state/lesson-scenes.json (documented in docs/scenes.md); a lecturer's own list
// is a JSON file of the same shape, loaded in the lecture bar and checked here first. Pure: no
// React, no DOM.

import { recipeFor, resolvePreset } from '../models/catalog';
import { PANEL_IDS, URL_KEYS, type PanelId, type UrlKey, type UrlState } from './url-state';

export interface Scene {
  title: string;
  /** 2–4 sentences shown beside the live app. */
  text: string[];
  /** Link keys → values, exactly as in a URL (`{ "family": "conv3d", "task": "order-direction" }`). */
  settings: Partial<Record<UrlKey, string>>;
  /** Panels shown in the lecture layout (all when absent). */
  show: PanelId[] | null;
  /** The panel the scene talks about, drawn highlighted. */
  highlight: PanelId | null;
  question: { ask: string; answer: string } | null;
}

export const SCENES_VERSION = 1;
/** Bounds on a scene file: it is small text, and it is checked before anything is used. */
export const SCENE_LIMITS = { bytes: 256 * 1024, scenes: 100, title: 80, sentences: 6, sentence: 400 } as const;
/** Keys a scene may not set: the layout's own. */
const LAYOUT_KEYS: readonly string[] = ['lecture', 'scene', 'hide'];
const SCENE_FIELDS = ['title', 'text', 'settings', 'show', 'highlight', 'question'];

export type SceneListResult = { ok: true; scenes: Scene[] } | { ok: false; errors: string[] };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown, max: number): x is string => typeof x === 'string' && x.trim() !== '' && x.length <= max;
const isPanel = (x: unknown): x is PanelId => typeof x === 'string' && (PANEL_IDS as readonly string[]).includes(x);

function checkScene(raw: unknown, n: number, errors: string[]): Scene | null {
  const at = `Scene ${n}`;
  const before = errors.length;
  if (!isObject(raw)) {
    errors.push(`${at} is not an object with a title and text.`);
    return null;
  }
  for (const k of Object.keys(raw)) if (!SCENE_FIELDS.includes(k)) errors.push(`${at}: unknown field “${k}” (a scene has ${SCENE_FIELDS.join(', ')}).`);
  if (!isText(raw.title, SCENE_LIMITS.title)) errors.push(`${at}: "title" must be text of 1–${SCENE_LIMITS.title} characters.`);
  const text = raw.text;
  if (!Array.isArray(text) || text.length < 1 || text.length > SCENE_LIMITS.sentences || !text.every((t) => isText(t, SCENE_LIMITS.sentence)))
    errors.push(`${at}: "text" must be a list of 1–${SCENE_LIMITS.sentences} sentences, each 1–${SCENE_LIMITS.sentence} characters.`);
  const settings: Partial<Record<UrlKey, string>> = {};
  if (raw.settings !== undefined) {
    if (!isObject(raw.settings)) errors.push(`${at}: "settings" must be an object of link keys, e.g. { "family": "conv3d" }.`);
    else
      for (const [k, v] of Object.entries(raw.settings)) {
        if (!(k in URL_KEYS) || LAYOUT_KEYS.includes(k)) {
          errors.push(`${at}: "settings" has no key “${k}” (it takes the link's keys but ${LAYOUT_KEYS.join(', ')}).`);
          continue;
        }
        const value = typeof v === 'number' ? String(v) : v;
        const spec = URL_KEYS[k as UrlKey];
        const r = typeof value === 'string' ? spec.parse(value) : { ok: false as const, expected: 'text or a number' };
        if (!r.ok) errors.push(`${at}: settings.${k} “${String(v)}” is not valid (${spec.help}: expected ${r.expected}).`);
        else settings[k as UrlKey] = value as string;
      }
    if (settings.variant !== undefined) {
      if (settings.family === undefined) errors.push(`${at}: settings.variant needs settings.family (a variant belongs to one family).`);
      else {
        const { notice } = resolvePreset(settings.family as UrlState['family'], settings.variant);
        if (notice) errors.push(`${at}: ${notice.replace(/; using tiny\.$/, '.')}`);
      }
    }
  }
  let show: PanelId[] | null = null;
  if (raw.show !== undefined) {
    if (!Array.isArray(raw.show) || raw.show.length === 0 || !raw.show.every(isPanel)) errors.push(`${at}: "show" must be a list of panels from ${PANEL_IDS.join(', ')}.`);
    else show = raw.show;
  }
  let highlight: PanelId | null = null;
  if (raw.highlight !== undefined) {
    if (!isPanel(raw.highlight)) errors.push(`${at}: "highlight" must be one panel of ${PANEL_IDS.join(', ')}.`);
    else if (show && !show.includes(raw.highlight)) errors.push(`${at}: "highlight" (${raw.highlight}) is not among the panels it shows.`);
    else highlight = raw.highlight;
  }
  let question: Scene['question'] = null;
  if (raw.question !== undefined) {
    const q = raw.question;
    if (!isObject(q) || !isText(q.ask, SCENE_LIMITS.sentence) || !isText(q.answer, SCENE_LIMITS.sentence)) errors.push(`${at}: "question" must be { "ask": "…", "answer": "…" }.`);
    else question = { ask: q.ask as string, answer: q.answer as string };
  }
  if (errors.length > before) return null;
  return { title: raw.title as string, text: text as string[], settings, show, highlight, question };
}

/** Check a scene list (the parsed JSON of a file): every scene, or every problem found (at most 10). */
export function parseSceneList(json: unknown): SceneListResult {
  const errors: string[] = [];
  if (!isObject(json)) return { ok: false, errors: ['The file is not a scene list: expected { "version": 1, "scenes": [ … ] }.'] };
  if (json.version !== SCENES_VERSION) errors.push(`The scene list's "version" is ${JSON.stringify(json.version) ?? 'missing'}; this app reads version ${SCENES_VERSION}.`);
  const list = json.scenes;
  if (!Array.isArray(list) || list.length === 0) errors.push('The scene list has no "scenes": expected a list of 1 or more scenes.');
  else if (list.length > SCENE_LIMITS.scenes) errors.push(`The scene list has ${list.length} scenes; at most ${SCENE_LIMITS.scenes}.`);
  if (errors.length) return { ok: false, errors };
  const scenes = (list as unknown[]).map((s, i) => checkScene(s, i + 1, errors));
  if (errors.length) return { ok: false, errors: errors.length > 10 ? [...errors.slice(0, 10), `…and ${errors.length - 10} more.`] : errors };
  return { ok: true, scenes: scenes as Scene[] };
}

/** Read a scene file's text (size checked first). */
export function parseSceneFile(text: string, bytes: number): SceneListResult {
  if (bytes > SCENE_LIMITS.bytes) return { ok: false, errors: [`The file is ${Math.round(bytes / 1024)} KiB; a scene list is at most ${SCENE_LIMITS.bytes / 1024} KiB of JSON.`] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`The file is not JSON (${e instanceof Error ? e.message : String(e)}). A scene list is a JSON file: see docs/scenes.md.`] };
  }
  return parseSceneList(json);
}

/**
 * The settings after entering `scene`: another family first (its tiny variant and its recipe,
 * as choosing it would), then the scene's own keys. Keys the scene does not name keep their value.
 */
export function sceneSettings(scene: Scene, current: UrlState): UrlState {
  let next: UrlState = { ...current };
  const family = scene.settings.family;
  if (family !== undefined && family !== current.family) {
    const f = family as UrlState['family'];
    next = { ...next, family: f, variant: resolvePreset(f, null).entry.name, ...recipeFor(f) };
  }
  const out = next as Record<UrlKey, unknown>;
  for (const [k, raw] of Object.entries(scene.settings)) {
    if (k === 'family') continue;
    const r = URL_KEYS[k as UrlKey].parse(raw as string);
    if (r.ok) out[k as UrlKey] = r.value;
  }
  return next;
}
