/**
 * Vitest global setup of the e2e project (vitest.config.ts): makes the production build of the
 * web UI once per test run, before any browser suite starts, and provides its folder to them as
 * `inject('e2eWebRoot')`. The build is `node scripts/build.js web`, the step `npm start` runs:
 * it skips Vite when web/dist was built from the current sources. Without a browser there is
 * nothing to build for (the suites skip, or fail with REQUIRE_BROWSER=1).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { HAS_BROWSER } from '../browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the web UI's production build: WEB_ROOT of the e2e servers. */
    e2eWebRoot: string;
  }
}

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * Builds web/dist unless it is up to date and provides its path.
 * @throws Error when the build fails (with its output).
 */
export function setup(project: TestProject): void {
  if (!HAS_BROWSER) return;
  const build = spawnSync(process.execPath, ['scripts/build.js', 'web'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (build.status !== 0) throw new Error(`the web UI build failed:\n${build.stdout}`);
  project.provide('e2eWebRoot', path.join(REPO_ROOT, 'web', 'dist'));
}
