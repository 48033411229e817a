// Number formatting shared by the panels and the command line.

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 602112 → "602,112" */
export const formatInt = (n: number): string => intFmt.format(n);

/** Bytes in binary units: 2408448 → "2.3 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** 9633792 → "9.6 million"; 270950400 → "271 million"; 1.8e9 → "1.8 billion". */
export function formatApprox(n: number): string {
  const abs = Math.abs(n);
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(1).replace(/\.0$/, ''));
  if (abs >= 1e12) return `${fmt(n / 1e12)} trillion`;
  if (abs >= 1e9) return `${fmt(n / 1e9)} billion`;
  if (abs >= 1e6) return `${fmt(n / 1e6)} million`;
  if (abs >= 1e3) return `${fmt(n / 1e3)} thousand`;
  return String(n);
}
