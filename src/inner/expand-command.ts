// Expands a task command's placeholders: `{node}` → this Node binary, `{tsx}` → tsx's ESM loader (file URL).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../task/package-root.js';

let tsxLoader: string | undefined;

/** The file URL of tsx's loader, for `node --import <url> file.ts` from any working directory. */
export function tsxLoaderUrl(): string {
  if (tsxLoader === undefined) {
    const require = createRequire(join(packageRoot(), 'package.json'));
    tsxLoader = pathToFileURL(require.resolve('tsx')).href;
  }
  return tsxLoader;
}

export function expandCommand(command: readonly string[]): string[] {
  return command.map((part) => part.replaceAll('{node}', process.execPath).replaceAll('{tsx}', tsxLoaderUrl()));
}
