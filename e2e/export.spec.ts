// "Export to PyTorch" in the browser on WebGPU: the button downloads clipscope-<family>-<preset>.zip
// holding model.py, weights.safetensors, check.json, mmaction2_config.py, train.py and README.md;
// first the preset's initial weights, then (after one training step) the run's trained model,
// whose check.json holds the worker's WebGPU outputs. When a Python with PyTorch is at hand (CI
// installs python3-torch), scripts/export_check.py checks the download in PyTorch too.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { openApp } from './ui';
import { torchPython } from '../scripts/torch-python';

const NEEDED = ['model.py', 'weights.safetensors', 'check.json', 'mmaction2_config.py', 'train.py', 'README.md'];

async function exportZip(page: Page): Promise<Record<string, Uint8Array>> {
  const downloading = page.waitForEvent('download', { timeout: 180_000 });
  await page.getByTestId('export-pytorch').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('clipscope-conv3d-tiny.zip');
  const file = await download.path();
  const zip = fs.readFileSync(file);
  expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004'); // a zip's local file header
  await expect(page.getByTestId('export-pytorch-status')).toHaveAttribute('data-status', 'done');
  return unzipSync(new Uint8Array(zip));
}


test('Export to PyTorch downloads a zip with model.py, weights, check.json, MMAction2 config, train.py, README; a trained run exports its weights', async ({ page }) => {
  test.setTimeout(600_000);
  const { consoleErrors } = await openApp(page, '?family=conv3d&variant=tiny&frames=8&size=16&task=order-direction&strategy=random-crop&stride=3');
  await expect(page.getByTestId('backend-badge')).toContainText('webgpu');
  await expect(page.getByTestId('export-pytorch-source')).toContainText('initial weights');
  const initial = await exportZip(page);
  for (const name of NEEDED) expect(Object.keys(initial), name).toContain(name);
  const text = (files: Record<string, Uint8Array>, name: string) => new TextDecoder().decode(files[name]);
  expect(text(initial, 'model.py')).toContain('def build_model():');
  expect(text(initial, 'mmaction2_config.py')).toContain('dict(type="SampleFrames", clip_len=8, frame_interval=3, num_clips=1)');
  expect(text(initial, 'README.md')).toContain('When one machine is not enough');
  const initialCheck = JSON.parse(text(initial, 'check.json')) as { backend: string; weights: string; inputs: { shape: number[] }[] };
  expect(initialCheck).toMatchObject({ backend: 'webgpu', weights: expect.stringMatching(/^initial weights/) });
  expect(initialCheck.inputs[0].shape).toEqual([2, 3, 8, 16, 16]);

  // One training step, then the export is the run's model.
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('train-status')).toHaveText('paused', { timeout: 240_000 });
  await expect(page.getByTestId('export-pytorch-source')).toContainText('trained model');
  const trained = await exportZip(page);
  expect(JSON.parse(text(trained, 'check.json'))).toMatchObject({ backend: 'webgpu', weights: expect.stringMatching(/^run .*: 1 training steps/) });
  expect(Buffer.from(trained['weights.safetensors']).equals(Buffer.from(initial['weights.safetensors']))).toBe(false);

  const py = torchPython();
  if (py) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clipscope-e2e-export-'));
    for (const [name, bytes] of Object.entries(trained)) fs.writeFileSync(path.join(dir, name), bytes);
    const run = spawnSync(py, [path.join(import.meta.dirname, '..', 'scripts', 'export_check.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ ok: true, logits_ok: true, counts_ok: true });
  }
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
