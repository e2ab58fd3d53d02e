// No import cycles between the project's modules, type-only imports included: a cycle makes the
// load order matter and hides which module depends on which (the tree should tell it).
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roots = ['source', 'components'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap(name => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Static imports and re-exports (`import … from`, `import type`, `export … from`, bare `import '…'`); dynamic import() is lazy loading, not a cycle. */
export function staticSpecifiers(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of withoutComments.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The project file a relative specifier names ('./x.js' is x.ts or x.tsx), or undefined for packages. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find(candidate => existsSync(candidate));
}

/** The strongly connected components with more than one module, or one module that imports itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

function projectGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of roots.flatMap(root => sourceFiles(join(projectRoot, root)))) {
    const targets = staticSpecifiers(readFileSync(file, 'utf8'))
      .map(specifier => resolveSpecifier(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    expect(staticSpecifiers("import type {A} from './a.js';\nexport {b} from \"../b.js\";\nimport './side.js';\nconst x = await import('./lazy.js');\n// import {c} from './c.js';\nimport {\n  d,\n  e,\n} from './d.js';")).toEqual(['./a.js', '../b.js', './side.js', './d.js']);
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('source/ and components/ have none, type-only imports included', () => {
    const graph = projectGraph();
    expect(graph.size).toBeGreaterThan(100);
    const found = cycles(graph).map(component => component.map(file => relative(projectRoot, file)));
    expect(found, found.map(component => component.join(' <-> ')).join('\n')).toEqual([]);
  });
});
