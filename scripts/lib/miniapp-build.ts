import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './migrate.js';

/**
 * Builds the mini-program for weapp (miniapp/dist) or h5 (miniapp/dist-h5), skipping the build when
 * nothing that goes into it changed since the last one (sources, contracts, lockfile, build settings).
 */
export function buildMiniapp(target: 'weapp' | 'h5', env: Record<string, string> = {}, force = false): { built: boolean; ms: number } {
  const out = path.join(repoRoot, 'miniapp', target === 'h5' ? 'dist-h5' : 'dist');
  const stampFile = path.join(out, '.build-stamp');
  const stamp = inputsHash(target, env);
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { built: false, ms: 0 };
  const started = Date.now();
  const res = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/@tarojs/cli/bin/taro'), 'build', '--type', target], {
    cwd: path.join(repoRoot, 'miniapp'),
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (res.status !== 0) {
    process.stderr.write(res.stdout.slice(-4000) + res.stderr.slice(-4000));
    throw new Error(`taro build --type ${target} failed`);
  }
  writeFileSync(stampFile, stamp);
  return { built: true, ms: Date.now() - started };
}

function inputsHash(target: string, env: Record<string, string>): string {
  const h = createHash('sha256').update(target).update(JSON.stringify(env));
  const files = [
    ...walk(path.join(repoRoot, 'miniapp/src')),
    ...walk(path.join(repoRoot, 'miniapp/config')),
    ...walk(path.join(repoRoot, 'api/_contracts')),
    path.join(repoRoot, 'miniapp/babel.config.cjs'),
    path.join(repoRoot, 'package-lock.json'),
  ];
  for (const f of files.sort()) h.update(f).update(readFileSync(f));
  return h.digest('hex');
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
