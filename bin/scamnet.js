#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build` or `npm start`) when it was built from
// the current sources; otherwise (a development checkout with no or an older build) the
// TypeScript sources through tsx.
import { pathToFileURL } from 'node:url';
import { ROOT, isBuilt } from '../scripts/build.js';

if (isBuilt('server')) {
  await import(pathToFileURL(`${ROOT}dist/cli/main.js`).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
