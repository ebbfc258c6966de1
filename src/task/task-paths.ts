// Where a task's external paths point: `{cache}`, `{data}`, `{package}`, `{module:NAME}` and `~`, resolved once.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BilevelError } from '../core/errors.js';

/** The roots an external path may start from (absolute paths). */
export interface TaskRoots {
  /** BILEVEL_CACHE_DIR: shared, writable by trials. */
  cache: string;
  /** BILEVEL_DATA_DIR: written by the prepare step only; read-only to trials. */
  data: string;
  /** The bilevel package root. */
  package: string;
  /** The user's home. */
  home: string;
}

/** True for `{cache}/…`, `{data}/…`, `{package}/…`, `{module:NAME}/…` and `~/…`; false for task-relative paths. */
export function isExternalPath(pattern: string): boolean {
  return pattern.startsWith('{') || pattern === '~' || pattern.startsWith('~/');
}

/** The absolute path of an external path. A `{module:NAME}` that is not installed is a TASK_INVALID error. */
export function resolveExternalPath(pattern: string, roots: TaskRoots): string {
  const match = /^(?:\{([a-z]+)(?::([^}]+))?\}|~)(\/.*)?$/.exec(pattern);
  if (!match) throw new RangeError(`not an external path: ${pattern}`);
  const [, root, moduleName, rest = ''] = match;
  return join(rootPath(root, moduleName, roots, pattern), rest);
}

function rootPath(root: string | undefined, moduleName: string | undefined, roots: TaskRoots, pattern: string): string {
  switch (root) {
    case undefined:
      return roots.home;
    case 'cache':
    case 'data':
    case 'package':
      return roots[root];
    case 'module':
      try {
        const require = createRequire(join(roots.package, 'package.json'));
        return dirname(require.resolve(`${moduleName}/package.json`));
      } catch (error) {
        throw new BilevelError('TASK_INVALID', `${pattern}: the package ${moduleName} is not installed`, {
          hint: `install it beside bilevel (npm install ${moduleName}), or drop the path from task.json`,
          cause: error,
        });
      }
    default:
      throw new RangeError(`unknown root {${root}} in ${pattern}`);
  }
}
