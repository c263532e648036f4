// A one-line progress bar on stderr for long command-line work (seeding, fan-out).
import type { SeedProgress } from '../services/world/seed.js';

export function progressBar(label: string, total: number) {
  const started = performance.now();
  let last = 0;
  let shown = label;
  return {
    /** `as`: what the line is called from now on (a later phase of the same work). */
    update(done: number, as = label) {
      const now = performance.now();
      if (as === shown && done < total && now - last < 200) return;
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const rate = done / Math.max((now - started) / 1000, 0.001);
      const seconds = ((now - started) / 1000).toFixed(1);
      process.stderr.write(`\r${as.padEnd(shown.length)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${Math.round(rate).toLocaleString('en')}/s ${seconds} s   `);
      shown = as;
      if (done >= total && as === label) process.stderr.write('\n');
    },
    end() {
      process.stderr.write('\n');
    },
  };
}

const SEEDING: Record<SeedProgress['phase'], string> = { registry: 'seeding: people and entities', scope: 'seeding: scope and vehicles', store: 'seeding: storing' };

/** A progress bar over a world's seeding, its phases named (the registry's counts the enterprises generated). */
export function seedingBar(total: number) {
  const bar = progressBar('seeding', total);
  return { update: (p: SeedProgress) => bar.update(p.done, SEEDING[p.phase]), end: () => bar.end() };
}
