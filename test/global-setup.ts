import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startLocalPostgres, type LocalPostgres } from '../scripts/lib/local-pg.js';
import { migrate, seed } from '../scripts/lib/migrate.js';

/**
 * One real Postgres 17 for the whole run. A template database is migrated and seeded once; each test file
 * clones it (`create database … template`), so files never see each other's writes.
 */
let server: LocalPostgres | null = null;
let dir = '';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export async function setup(project: TestProject) {
  dir = mkdtempSync(path.join(tmpdir(), 'cunju-test-pg-'));
  server = await startLocalPostgres({ dir, quiet: true, fast: true });
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('create database cunju_template');
  await admin.end();
  await migrate(server.url('cunju_template'));
  await seed(server.url('cunju_template'));
  project.provide('pgAdminUrl', server.url());
  project.provide('pgTemplate', 'cunju_template');
}

export async function teardown() {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
