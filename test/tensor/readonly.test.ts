/* eslint-disable @typescript-eslint/no-unsafe-call -- the point of this file is calls that do not type-check */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { tensor } from '../../src/tensor/index.js';

describe('tensors are read-only by type', () => {
  it('rejects writes at compile time (checked by `npm run typecheck`)', () => {
    const t = tensor([1, 2, 3]);
    const write = (): void => {
      // @ts-expect-error index writes into tensor data do not compile
      t.data[0] = 5;
      // @ts-expect-error mutating methods are not part of the read-only type
      t.data.fill(0);
      // @ts-expect-error a subarray of read-only data is read-only too
      t.data.subarray(1)[0] = 5;
      // @ts-expect-error the shape is read-only
      t.shape[0] = 7;
    };
    expect(typeof write).toBe('function'); // defined, never called: the point is the types
    expect(Array.from(t.data)).toEqual([1, 2, 3]);
  });

  it('the compiler reports those writes as errors', () => {
    const src = fileURLToPath(new URL('../../src/tensor/index.ts', import.meta.url));
    const snippet = [
      `import { tensor } from ${JSON.stringify(src.replace(/\.ts$/, '.js'))};`,
      'const t = tensor([1, 2, 3]);',
      't.data[0] = 5;',
      't.data.set([1], 0);',
      'const ok: number = t.data[1] + t.data.length;',
      'export { ok };',
    ].join('\n');
    const fileName = fileURLToPath(new URL('./__snippet__.ts', import.meta.url));
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => (f === fileName ? snippet : readFile(f));
    const exists = host.fileExists.bind(host);
    host.fileExists = (f) => f === fileName || exists(f);
    const program = ts.createProgram([fileName], options, host);
    const messages = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(fileName))
      .map(
        (d) =>
          `${d.start !== undefined ? program.getSourceFile(fileName)!.getLineAndCharacterOfPosition(d.start).line + 1 : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    expect(messages.some((m) => m.startsWith('3:') && /read-only|readonly/i.test(m))).toBe(true);
    expect(messages.some((m) => m.startsWith('4:') && /set/.test(m))).toBe(true);
    expect(messages.filter((m) => m.startsWith('5:'))).toEqual([]);
  }, 60_000);
});
