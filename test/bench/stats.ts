// Measuring and printing: alternate runs so that a noisy machine's slowdowns fall on both sides of a ratio, medians,
// p95, best runs, and tables.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** A GC function when V8 lets us have one, so memory figures are not just garbage not yet collected. */
export const gc = exposeGc();

export function measure(warm: number, runs: number, fn: () => unknown): number[] {
  for (let i = 0; i < warm; i++) fn();
  gc?.();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times;
}

/** Two measurements run alternately, so that the machine's noise falls on both alike. */
export function measurePair(warm: number, runs: number, a: () => unknown, b: () => unknown): [number[], number[]] {
  for (let i = 0; i < warm; i++) {
    a();
    b();
  }
  gc?.();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    a();
    ta.push(performance.now() - t);
    t = performance.now();
    b();
    tb.push(performance.now() - t);
  }
  return [ta, tb];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

export function ms(x: number): string {
  return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function signed(bytes: number): string {
  const kb = bytes / 1024;
  return `${kb >= 0 ? '+' : ''}${Math.abs(kb) >= 1024 ? (kb / 1024).toFixed(1) + ' MB' : kb.toFixed(0) + ' KB'}`;
}

export function mark(ok: boolean): string {
  return ok ? 'PASS' : 'OVER';
}

export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r, i) => {
    const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
    return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  });
}

function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
