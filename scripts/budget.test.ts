import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/migrate.js';

// WeChat refuses a main package over 2 MB; ours stays under 400 KB so the first open on a slow phone and
// network is quick (everything but the five tab pages lives in subpackages, loaded when first opened).
const BUDGET_BYTES = 400 * 1024;
const dist = path.join(repoRoot, 'miniapp/dist');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('weapp size budget', () => {
  it('keeps the main package under 400 KB', () => {
    expect(existsSync(path.join(dist, 'app.json')), 'miniapp/dist is missing: run `npm run build:weapp` (npm test builds it)').toBe(true);
    const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] };
    const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => path.join(dist, s.root.replace(/\/$/, '')) + path.sep);
    expect(roots.length).toBeGreaterThan(0);
    let main = 0;
    let sub = 0;
    for (const f of files(dist)) {
      if (f.endsWith('.map') || path.basename(f).startsWith('.')) continue; // not uploaded
      const size = statSync(f).size;
      if (roots.some((r) => f.startsWith(r))) sub += size;
      else main += size;
    }
    console.log(
      `weapp main package: ${(main / 1024).toFixed(1)} KB (budget ${(BUDGET_BYTES / 1024).toFixed(0)} KB); subpackages: ${(sub / 1024).toFixed(1)} KB`,
    );
    expect(main).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
