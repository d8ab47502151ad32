// Reports are rewritten while a hunt runs; a reader (or a kill -9) must never see half a file.
// Each write has a temporary file of its own: two writes in flight (batches or bisections
// side by side with --jobs) must not interleave in one; the last rename wins, whole.
import { rename, writeFile } from 'node:fs/promises';

let writes = 0;

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  writes += 1;
  const temporary = `${path}.${process.pid}-${writes}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
