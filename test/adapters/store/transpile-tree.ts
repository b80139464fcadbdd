import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
};

/**
 * Transpiles each entry and every .ts file it reaches through relative
 * imports into `outDir`, at the same place relative to `root`, so that child
 * processes run plain `node` (~0.1 s to start) instead of ts-node (~0.8 s).
 * Packages still resolve from the repository: give the children
 * NODE_PATH=<root>/node_modules. Returns the JS path of each entry.
 */
export function transpileTree(root: string, entries: readonly string[], outDir: string): string[] {
  const pending = [...entries];
  const done = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: OPTIONS, fileName: file });
    const target = jsPath(root, file, outDir);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const { fileName } of ts.preProcessFile(source, true, false).importedFiles) {
      if (fileName.startsWith('.')) pending.push(`${path.resolve(path.dirname(file), fileName)}.ts`);
    }
  }
  return entries.map((entry) => jsPath(root, entry, outDir));
}

function jsPath(root: string, file: string, outDir: string): string {
  return path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
}
