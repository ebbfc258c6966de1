// Finds the Level 2 meta-sessions section renderer, if this build has one, and renders it for a run.
import { fileURLToPath } from 'node:url';
import type { Database } from '../storage/database.js';

/** Renders the meta sessions of a run as Markdown ('' when the run has none). */
export type MetaSessionsRenderer = (database: Database, runId: string) => string | Promise<string>;

/** Where the Level 2 renderer lives; looked up at run time so the report works before Level 2 lands. */
const rendererUrl = new URL('./meta-sessions-section.js', import.meta.url).href;

/**
 * Loads `renderMetaSessions` from `meta-sessions-section`; undefined when that module is not there
 * or does not export it. Any other failure while loading it (a syntax or import error inside it)
 * is a bug and is thrown.
 */
export async function loadMetaSessionsRenderer(url: string = rendererUrl): Promise<MetaSessionsRenderer | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (isModuleMissing(error, url)) return undefined;
    throw error;
  }
  const renderer = module.renderMetaSessions;
  return typeof renderer === 'function' ? (renderer as MetaSessionsRenderer) : undefined;
}

/** The meta-sessions section of a run: the renderer's Markdown, or a line saying there is none. */
export async function renderMetaSessionsSection(
  database: Database,
  runId: string,
  renderer: MetaSessionsRenderer | undefined,
): Promise<string> {
  const body = renderer ? (await renderer(database, runId)).trim() : '';
  if (body === '') return '## Level 2: meta sessions\n\nNo meta sessions in this run.';
  return /^#{1,2} /.test(body) ? body : `## Level 2: meta sessions\n\n${body}`;
}

/** True only when the missing module is the renderer itself (not something the renderer imports). */
function isModuleMissing(error: unknown, url: string): boolean {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') return false;
  const missing = /Cannot find module '([^']+)'/.exec(error.message)?.[1];
  return missing === url || (url.startsWith('file:') && missing === fileURLToPath(url));
}
