// Compiles the AssemblyScript dissectors to dist/dissectors.wasm.
import { main } from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const { error, stderr } = await main([
  'dissectors/index.ts',
  '--outFile', 'dist/dissectors.wasm',
  '--textFile', 'dist/dissectors.wat',
  '-O3', '--runtime', 'stub', '--noAssert',
  '--exportStart', '_initialize',
  '--use', 'abort=',
  '--importMemory', '--initialMemory', '64',
]);
if (error) {
  process.stderr.write(stderr.toString());
  process.stderr.write(`build-wasm: ${error.message}\n`);
  process.exit(1);
}
