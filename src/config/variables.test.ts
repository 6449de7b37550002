import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VARIABLES } from './variables.js';

const root = new URL('../../', import.meta.url);

/** `NAME=value` lines of .env.example, in order; comment lines are prose, not variables. */
function envExampleEntries(): [string, string][] {
  const text = readFileSync(new URL('.env.example', root), 'utf8');
  return text
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => {
      const equals = line.indexOf('=');
      return [line.slice(0, equals), line.slice(equals + 1)];
    });
}

describe('the variable table', () => {
  it('is .env.example exactly: every variable with its default, in order, and nothing else', () => {
    const table = Object.entries(VARIABLES).map(([name, variable]) => [name, variable.default]);
    expect(envExampleEntries()).toEqual(table);
  });

  it('names every variable in README’s configuration section', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    const missing = Object.keys(VARIABLES).filter((name) => !section.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('describes every variable', () => {
    for (const [name, variable] of Object.entries(VARIABLES)) {
      expect(variable.description, name).toMatch(/\S.*\.$/);
    }
  });
});
