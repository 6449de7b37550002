import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The architecture rules of STYLE.md and DESIGN.md, computed from the source, so that a change
// that breaks one fails here rather than in a reviewer's head.

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Folders below every capability: they import no capability (vocabulary and config nothing). */
const FOUNDATIONS = ['vocabulary', 'config', 'store', 'shared', 'policy', 'http'] as const;
/** Folders reached only through their files (utilities), not through an index.ts. */
const NO_INDEX = new Set(['shared']);

interface SourceImport {
  readonly from: string;
  readonly to: string;
  readonly line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every relative import of src/ (static, type-only, re-exports and dynamic), resolved to a file. */
function importsOf(files: readonly string[]): SourceImport[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return ts
      .preProcessFile(text, true, true)
      .importedFiles.filter((ref) => ref.fileName.startsWith('.'))
      .map((ref) => ({
        from: file,
        to: path.resolve(path.dirname(file), ref.fileName.replace(/\.js$/, '.ts')),
        line: text.slice(0, ref.pos).split('\n').length,
      }));
  });
}

/** The top-level folder of a src/ file ('' for src/main.ts and its siblings). */
function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 ? (parts[0] ?? '') : '';
}

function where(edge: SourceImport): string {
  return `${path.relative(SRC, edge.from)}:${edge.line} → ${path.relative(SRC, edge.to)}`;
}

/** Folder-level graph: folder → folder → the imports that make the edge. */
function folderGraph(edges: readonly SourceImport[]): Map<string, Map<string, SourceImport[]>> {
  const graph = new Map<string, Map<string, SourceImport[]>>();
  for (const edge of edges) {
    const a = folderOf(edge.from);
    const b = folderOf(edge.to);
    if (a === b) continue;
    const out = graph.get(a) ?? new Map<string, SourceImport[]>();
    out.set(b, [...(out.get(b) ?? []), edge]);
    graph.set(a, out);
  }
  return graph;
}

/** One cycle of the folder graph, as the imports around it, or undefined when it is a DAG. */
function findFolderCycle(
  graph: ReadonlyMap<string, ReadonlyMap<string, readonly SourceImport[]>>,
): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (state.get(next) === 'open') {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        return loop.slice(1).map((to, i) => {
          const first = graph.get(loop[i] ?? '')?.get(to)?.[0];
          return first === undefined ? `${loop[i]} → ${to}` : where(first);
        });
      }
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found !== undefined) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.get(node) === undefined) {
      const found = visit(node);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const files = sourceFiles(SRC);
const edges = importsOf(files);
const graph = folderGraph(edges);

describe('the folder import graph of src/', () => {
  it('has every import resolved to a file (so the rules below see them all)', () => {
    const unresolved = edges.filter((edge) => !files.includes(edge.to)).map(where);
    expect(unresolved).toEqual([]);
  });

  it('is a DAG: no top-level folder imports, through any chain, a folder that imports it', () => {
    expect(findFolderCycle(graph)).toBeUndefined();
  });

  it('finds a cycle when one is added (the check itself can fail)', () => {
    const withCycle = new Map(graph);
    const vocabulary = new Map(withCycle.get('vocabulary') ?? []);
    vocabulary.set('cases', [
      { from: path.join(SRC, 'vocabulary/x.ts'), to: path.join(SRC, 'cases/index.ts'), line: 1 },
    ]);
    withCycle.set('vocabulary', vocabulary);
    expect(findFolderCycle(withCycle)).toBeDefined();
  });

  it('imports another folder only through its index.ts', () => {
    const deep = edges
      .filter((edge) => {
        const a = folderOf(edge.from);
        const b = folderOf(edge.to);
        if (a === b || b === '' || NO_INDEX.has(b)) return false;
        return path.relative(path.join(SRC, b), edge.to) !== 'index.ts';
      })
      .map(where);
    expect(deep).toEqual([]);
  });

  it('keeps the foundations below the capabilities', () => {
    const allowed: Record<(typeof FOUNDATIONS)[number], readonly string[]> = {
      vocabulary: [],
      config: [],
      store: ['config'],
      shared: ['config', 'store'],
      policy: ['vocabulary', 'shared'],
      http: ['vocabulary', 'config', 'store', 'shared', 'policy'],
    };
    const wrong = FOUNDATIONS.flatMap((folder) =>
      [...(graph.get(folder)?.entries() ?? [])]
        .filter(([to]) => !allowed[folder].includes(to))
        .flatMap(([, via]) => via.map(where)),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps the vocabulary pure: no package imports, so the web can import it', () => {
    const vocabulary = files.filter((file) => folderOf(file) === 'vocabulary');
    const packages = vocabulary.flatMap((file) =>
      ts
        .preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles.filter((ref) => !ref.fileName.startsWith('.'))
        .map((ref) => `${path.relative(SRC, file)} → ${ref.fileName}`),
    );
    expect(vocabulary.length).toBeGreaterThan(0);
    expect(packages).toEqual([]);
  });

  it('keeps migrations frozen: a migration imports no project code', () => {
    const live = edges
      .filter((edge) => path.relative(SRC, edge.from).startsWith(`store${path.sep}migrations`))
      .filter((edge) => !path.relative(SRC, edge.to).startsWith(`store${path.sep}migrations`))
      .map(where);
    expect(live).toEqual([]);
  });
});
