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
  const { stamp, files } = inputsHash(target, env);
  const manifestFile = path.join(out, '.build-inputs.json');
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return { built: false, ms: 0 };
  if (!force && existsSync(manifestFile)) {
    // Say what changed, so an unexpected rebuild can be traced to the file that caused it.
    const before = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    const changed = [...new Set([...Object.keys(before), ...Object.keys(files)])].filter((f) => before[f] !== files[f]);
    process.stderr.write(`[build] ${target} inputs changed: ${changed.slice(0, 10).join(', ') || '(build settings)'}\n`);
  }
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
  writeFileSync(manifestFile, JSON.stringify(files));
  return { built: true, ms: Date.now() - started };
}

function inputsHash(target: string, env: Record<string, string>): { stamp: string; files: Record<string, string> } {
  const h = createHash('sha256').update(target).update(JSON.stringify(env));
  const hashes: Record<string, string> = {};
  const files = [
    ...walk(path.join(repoRoot, 'miniapp/src')),
    ...walk(path.join(repoRoot, 'miniapp/config')),
    ...walk(path.join(repoRoot, 'api/_contracts')),
    path.join(repoRoot, 'miniapp/babel.config.cjs'),
    path.join(repoRoot, 'package-lock.json'),
  ];
  for (const f of files.sort()) {
    const body = readFileSync(f);
    h.update(f).update(body);
    hashes[path.relative(repoRoot, f)] = createHash('sha256').update(body).digest('hex');
  }
  return { stamp: h.digest('hex'), files: hashes };
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
