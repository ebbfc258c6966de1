// The dashboard's static files, served from the package (never a CDN): the page scripts and styles in
// src/serve/assets/, and uPlot's build from its npm package. Read once at start; nothing else on disk is served.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticAsset {
  body: string;
  type: string;
}

/** Asset path (below /assets/) → its bytes and content type. */
export type StaticAssets = ReadonlyMap<string, StaticAsset>;

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The assets folder beside this file (src/serve/assets when run from source, dist/serve/assets when built). */
export const assetsDir = fileURLToPath(new URL('./assets/', import.meta.url));

/** Loads every .js and .css file of the assets folder, and uPlot as `vendor/uplot.js` and `vendor/uplot.css`. */
export function loadStaticAssets(directory = assetsDir): StaticAssets {
  const assets = new Map<string, StaticAsset>();
  for (const name of readdirSync(directory)) {
    const type = contentTypes[extname(name)];
    if (type) assets.set(name, { body: readFileSync(join(directory, name), 'utf8'), type });
  }
  const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  assets.set('vendor/uplot.js', {
    body: readFileSync(join(uplotDist, 'uPlot.esm.js'), 'utf8'),
    type: contentTypes['.js'] as string,
  });
  assets.set('vendor/uplot.css', {
    body: readFileSync(join(uplotDist, 'uPlot.min.css'), 'utf8'),
    type: contentTypes['.css'] as string,
  });
  return assets;
}
