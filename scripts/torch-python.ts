// The Python that the export checks run in: one that imports torch — $PYTHON, python3, or
// Debian's /usr/bin/python3 (python3 on the PATH may be a pyenv shim without torch).
import { execFileSync } from 'node:child_process';

export function torchPython(): string | null {
  for (const py of [process.env['PYTHON'], 'python3', '/usr/bin/python3']) {
    if (!py) continue;
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}
