import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Starts the API server in a child process with these variables; `close` stops it. */
export async function serverProcess(env: Record<string, string | undefined>) {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-server.ts'), {
    env: { ...process.env, BENCH_SERVER_ENV: JSON.stringify(env) },
    execArgv: ['--import', 'tsx'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    url,
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send('stop');
      await exited;
    },
  };
}

/**
 * A lean HTTP client for measuring: keep-alive connections and no per-request machinery beyond Node's own
 * (fetch builds a Request, Headers and an AbortSignal for each call, which costs as much as a small answer).
 */
export function httpClient(base: string, sockets = 16) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(base);
  return {
    request(method: string, url: string, headers: Record<string, string>, body?: string) {
      return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ method, host: hostname, port, path: url, agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
