// Lecture mode: the presentation layout, guided scenes (data: src/state/lesson-scenes.json) in
// the URL, the keyboard, a lecturer's own scene file, and an axe-core accessibility check of both
// layouts (WCAG 2 A/AA: no serious or critical violation).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './ui';

const scene = (page: Page) => page.getByTestId('lecture-scene');
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('scenes: ?lecture=1 shows scene 1, → and ← move through them and the URL follows; scene=N opens N and sets its family and task', async ({ page }) => {
  const { consoleErrors } = await openApp(page, '?lecture=1');
  await expect(scene(page)).toHaveAttribute('data-scene-index', '1');
  await expect(scene(page)).toContainText('T × H × W × C');
  await page.keyboard.press('ArrowRight');
  await expect(scene(page)).toHaveAttribute('data-scene-index', '2');
  await expect.poll(() => param(page, 'scene')).toBe('2');
  await page.keyboard.press('PageDown'); // a clicker's "next"
  await expect(scene(page)).toHaveAttribute('data-scene-index', '3');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('PageUp');
  await expect(scene(page)).toHaveAttribute('data-scene-index', '1');
  await expect.poll(() => param(page, 'scene')).toBe('1');

  // A link opens scene 4 (late fusion): the scene sets the family and the task, shows only its panels.
  await openApp(page, '?lecture=1&scene=4&family=conv3d&task=rotation');
  await expect(scene(page)).toHaveAttribute('data-scene-index', '4');
  await expect(scene(page)).toContainText('Late fusion');
  await expect.poll(() => param(page, 'family')).toBe('late-fusion');
  expect(param(page, 'task')).toBe('order-direction');
  await expect(page.getByTestId('family-late-fusion')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-panel="training"]')).toHaveClass(/highlight/);
  await expect(page.locator('[data-panel="flow"]')).toHaveCount(0);
  await expect(page.getByTestId('scene-question')).toContainText('Will it learn the direction?');
  await expect(page.getByTestId('scene-answer')).toHaveCount(0);
  await page.getByRole('button', { name: 'Reveal the answer' }).click();
  await expect(page.getByTestId('scene-answer')).toContainText('stays at chance');
  // Hide flags: a slide-specific view.
  await openApp(page, '?lecture=1&scene=3&hide=model');
  await expect(page.locator('[data-panel="model"]')).toHaveCount(0);
  await expect(page.locator('[data-panel="training"]')).toHaveCount(1);
  expect(consoleErrors).toEqual([]);
});

test('keyboard: ? opens the shortcuts dialog and Esc closes it; 1–7 choose families; nothing fires while typing', async ({ page }) => {
  await openApp(page, '?lecture=1&scene=3');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  for (const words of ['next scene', 'previous scene', 'play / pause training', 'train one step', 'reset the run', 'choose a family', 'full screen', 'Esc']) await expect(dialog).toContainText(words);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  for (const [key, family] of [['4', 'conv3d'], ['7', 'transformer'], ['1', 'single-frame'], ['6', 'cnn-rnn']] as const) {
    await page.keyboard.press(key);
    await expect.poll(() => param(page, 'family')).toBe(family);
  }
  // Typing in a field: digits, arrows and ? are the field's.
  const lr = page.getByLabel('Learning rate');
  await lr.click();
  await lr.press('ArrowRight');
  await lr.pressSequentially('2');
  await lr.press('?');
  await expect(scene(page)).toHaveAttribute('data-scene-index', '3');
  expect(param(page, 'family')).toBe('cnn-rnn');
  await expect(dialog).toHaveCount(0);
  // Every control is reachable by keyboard, with a visible focus ring.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(ring).not.toBe('none');
});

test('a lecturer’s own scene file is checked: a bad one is refused with what is wrong, a good one replaces the scenes', async ({ page }) => {
  await openApp(page, '?lecture=1&scene=2');
  await page.getByTestId('scene-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ version: 1, scenes: [{ title: 'x', text: ['y'], settings: { family: 'rnn' } }] })) });
  await expect(page.getByTestId('scene-file-error')).toContainText('Scene 1: settings.family “rnn” is not valid');
  await expect(scene(page)).toHaveAttribute('data-scene-index', '2');
  await expect(scene(page)).toContainText('Temporal sampling');
  const mine = { version: 1, scenes: [{ title: 'My first slide', text: ['Hello, room.'], settings: { family: 'transformer', variant: 'tiny_joint' }, show: ['model'], highlight: 'model' }, { title: 'My second slide', text: ['Bye.'] }] };
  await page.getByTestId('scene-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mine)) });
  await expect(page.getByTestId('scene-file-error')).toHaveCount(0);
  await expect(scene(page)).toContainText('My first slide');
  await expect(scene(page)).toContainText('mine.json');
  await expect.poll(() => param(page, 'variant')).toBe('tiny_joint');
  await page.keyboard.press('ArrowRight');
  await expect(scene(page)).toContainText('My second slide');
});

test('axe finds no serious or critical violation in the normal and the lecture layout; the lecture layout at 1280×720 and 1920×1080', async ({ page }, info) => {
  test.setTimeout(240_000);
  await openApp(page, '?family=conv3d');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('lecture-toggle').click();
  await expect(scene(page)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('?');
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await openApp(page, '?lecture=1&scene=6');
    await expect(scene(page)).toContainText('3D convolution');
    const path = info.outputPath(`lecture-${w}x${h}.png`);
    await page.screenshot({ path });
    await info.attach(`lecture-${w}x${h}`, { path, contentType: 'image/png' });
  }
});
