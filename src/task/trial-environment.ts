// The environment a task's programs receive: an allowlist of what training needs, the task's own variables, never
// a credential unless the task names it in passEnv.
import type { TaskDefinition } from './task-definition.js';

/** Names passed as they are. */
const allowedNames = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'COLORTERM',
  'TZ',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'CONDA_DEFAULT_ENV',
  'NODE_OPTIONS',
  'LD_LIBRARY_PATH',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
]);
/** Families passed as they are: locale, GPU stacks (CUDA, NVIDIA, ROCm/HIP), Python, uv, thread counts. */
const allowedPrefixes = ['LC_', 'CUDA_', 'NVIDIA_', 'HIP_', 'ROCR_', 'ROCM_', 'HSA_', 'PYTHON', 'UV_', 'OMP_', 'MKL_'];

/** A name that looks like it holds a credential. */
const credentialName = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE/i;
/** A value that carries a credential: a URL with a password, a bearer token, an `sk-…` style key. */
const credentialValue =
  /[a-z][\w+.-]*:\/\/[^/\s:@]+:[^/\s@]+@|\b(Bearer|Basic)\s+\S{8,}|\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}/;

export interface TrialEnvironment {
  /** The whole environment of the program. */
  env: Record<string, string>;
  /** Names taken from bilevel's environment (the allowlist and passEnv). */
  passed: string[];
  /** passEnv names that are not set here. */
  missing: string[];
  /** Names in bilevel's environment kept from the program because they (or their values) look like credentials. */
  withheld: string[];
}

/**
 * `host` is bilevel's own environment; `loop` the BILEVEL_ variables (and temp dirs) the loop sets for this step,
 * which win over everything. The task's `env` values win over the host's; passEnv names pass even when
 * credential-like. Nothing else of `host` reaches the program.
 */
export function trialEnvironment(
  host: Readonly<Record<string, string | undefined>>,
  definition: Pick<TaskDefinition, 'env' | 'passEnv'>,
  loop: Readonly<Record<string, string>>,
): TrialEnvironment {
  const env: Record<string, string> = {};
  const passed: string[] = [];
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined) continue;
    if (credentialName.test(name) || credentialValue.test(value)) {
      withheld.push(name);
      continue;
    }
    if (!isAllowed(name)) continue;
    env[name] = value;
    passed.push(name);
  }
  const missing: string[] = [];
  for (const name of definition.passEnv) {
    const value = host[name];
    if (value === undefined) missing.push(name);
    else {
      env[name] = value;
      if (!passed.includes(name)) passed.push(name);
    }
  }
  Object.assign(env, definition.env, loop);
  return {
    env,
    passed: passed.sort(),
    missing,
    withheld: withheld.filter((name) => !definition.passEnv.includes(name)).sort(),
  };
}

function isAllowed(name: string): boolean {
  return allowedNames.has(name) || allowedPrefixes.some((prefix) => name.startsWith(prefix));
}
