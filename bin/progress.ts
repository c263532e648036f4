// A one-line progress bar on stderr for long command-line work (seeding, fan-out).
export function progressBar(label: string, total: number) {
  const started = performance.now();
  let last = 0;
  return {
    update(done: number) {
      const now = performance.now();
      if (done < total && now - last < 200) return;
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const rate = done / Math.max((now - started) / 1000, 0.001);
      process.stderr.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${Math.round(rate).toLocaleString('en')}/s   `);
      if (done >= total) process.stderr.write('\n');
    },
  };
}
