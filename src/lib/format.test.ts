import { describe, expect, it } from 'vitest';
import { formatApprox, formatBytes, formatInt } from './format';

describe('format', () => {
  it('groups digits', () => expect(formatInt(270950400)).toBe('270,950,400'));
  it('binary bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(602112 * 4)).toBe('2.3 MiB');
  });
  it('approximate counts', () => {
    expect(formatApprox(64 * 224 * 224 * 3)).toBe('9.6 million');
    expect(formatApprox(270950400)).toBe('271 million');
    expect(formatApprox(1.8e9)).toBe('1.8 billion');
  });
});
