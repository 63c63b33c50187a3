/** Runs `fn` `total` times with `concurrency` in flight; returns throughput and latency percentiles. */
export async function measure(label: string, total: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t = performance.now();
        try {
          await fn(i);
        } catch {
          failures++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { label, total, concurrency, failures, perSecond: total / seconds, p50: pct(50), p99: pct(99) };
}

export function report(rows: Awaited<ReturnType<typeof measure>>[]) {
  console.log('\n' + ['what', 'calls', 'conc', 'fail', 'per second', 'p50 ms', 'p99 ms'].join('\t'));
  for (const r of rows) {
    console.log([r.label, r.total, r.concurrency, r.failures, r.perSecond.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1)].join('\t'));
  }
}
