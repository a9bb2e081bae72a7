/**
 * The README's TypeScript tour is code: its blocks, joined with one import of everything they
 * name, must type-check against the library and run without throwing.
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The README's ts blocks as one module importing from src/index.ts at `indexPath`. */
function tourModule(indexPath: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const names = new Set<string>();
  const bodies = blocks.map((block) => {
    const imp = /import \{([\s\S]*?)\} from 'unfolded';/.exec(block);
    if (!imp) return block;
    for (const line of imp[1].split('\n'))
      for (const name of line.split('//')[0].split(',')) if (name.trim()) names.add(name.trim());
    return block.slice(imp.index + imp[0].length);
  });
  return `import { ${[...names].join(', ')} } from ${JSON.stringify(indexPath)};\n${bodies.join('\n')}\nexport {};\n`;
}

describe('README', () => {
  it('has a TypeScript tour that type-checks and runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unfolded-readme-'));
    try {
      const file = join(dir, 'tour.ts');
      writeFileSync(file, tourModule(join(root, 'src/index.js')));
      const options: ts.CompilerOptions = {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
      };
      const program = ts.createProgram([file], options);
      const errors = ts
        .getPreEmitDiagnostics(program, program.getSourceFile(file))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(errors).toEqual([]);
      // Run it (it writes Y.npy into the working directory, so run it in the temporary one).
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        await import(file);
      } finally {
        process.chdir(cwd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
