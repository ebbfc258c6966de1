// The sandbox host: a child process that runs one mechanism inside an SES Compartment and answers hook calls over IPC.
// Plain CommonJS so it starts fast under the permission model with no loader. Started by host-process.ts with
// --experimental-permission and read access to this file and the ses bundle only (no writes, no child processes).
// The main thread only relays messages and watches its parent; the mechanism runs in a worker thread (heap capped by
// resourceLimits), so even while a hook spins forever the main thread can exit when bilevel goes away.
// The mechanism's compartment gets no endowments: its module wrapper is compiled in (see compile-mechanism.ts).
'use strict';

const { isMainThread, parentPort, Worker } = require('node:worker_threads');

const sesPath = process.argv[2];
const limits = JSON.parse(process.argv[3] || '{}');
/** Bytes of resident memory above which the host reports itself over its cap (the client then kills it). */
const rssLimitBytes = (limits.rssLimitMb || 256) * 1024 * 1024;
/** Largest JSON size of one returned value or state, in characters. */
const maxResultChars = limits.maxResultChars || 1_000_000;
const maxDepth = 64;

function runWorker() {
  require(sesPath);
  lockdown({
    errorTaming: 'safe',
    consoleTaming: 'safe',
    overrideTaming: 'moderate',
    stackFiltering: 'concise',
    evalTaming: 'safe-eval',
  });
  process.on('unhandledRejection', (reason) => {
    asyncFault ??= describeThrown(reason);
  });
  parentPort.on('message', onMessage);
  parentPort.postMessage({ type: 'ready' });
}

/** The hook names the client knows (its hook table), sent with the module: the host keeps no list of its own. */
let hookNames = new Set();

/** The loaded mechanism object (from inside the compartment), its state, and the state as JSON text. */
let mechanism;
let state;
let stateJson;

class Refusal extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/** Reads a thrown value's message without running any of its code (no getters, no toString). */
function describeThrown(thrown) {
  if (typeof thrown === 'string') return thrown.slice(0, 500);
  if (typeof thrown === 'object' && thrown !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(thrown, 'message');
    if (descriptor && typeof descriptor.value === 'string') return descriptor.value.slice(0, 500);
    return 'a non-Error object was thrown';
  }
  return `a ${typeof thrown} was thrown`;
}

/**
 * Copies a value into fresh plain JSON data (null, booleans, finite numbers, strings, dense arrays, plain objects
 * with data properties only), or throws a Refusal('invalid-return') naming the first offending path.
 */
function toPlainData(value, path, depth, budget) {
  if (depth > maxDepth) throw new Refusal('invalid-return', `${path}: nested deeper than ${maxDepth}`);
  if (value === null || typeof value === 'boolean' || typeof value === 'number') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Refusal('invalid-return', `${path}: ${value} is not a finite number`);
    }
    // Scalars count too, so a vast array of numbers cannot slip past the size cap.
    budget.chars -= 8;
    if (budget.chars < 0)
      throw new Refusal('invalid-return', `${path}: result larger than ${maxResultChars} characters`);
    return value;
  }
  if (typeof value === 'string') {
    budget.chars -= value.length;
    if (budget.chars < 0)
      throw new Refusal('invalid-return', `${path}: result larger than ${maxResultChars} characters`);
    return value;
  }
  if (typeof value !== 'object') throw new Refusal('invalid-return', `${path}: a ${typeof value} is not plain data`);
  if (budget.seen.has(value)) throw new Refusal('invalid-return', `${path}: cyclic or shared reference`);
  budget.seen.add(value);
  budget.chars -= 2;
  const descriptors = Object.getOwnPropertyDescriptors(value);
  const keys = Reflect.ownKeys(descriptors);
  let copy;
  if (Array.isArray(value)) {
    const length = descriptors.length?.value;
    if (Object.getPrototypeOf(value) !== Array.prototype)
      throw new Refusal('invalid-return', `${path}: not a plain array`);
    if (keys.length !== length + 1) throw new Refusal('invalid-return', `${path}: sparse array or extra keys`);
    copy = [];
    for (let index = 0; index < length; index++) {
      const descriptor = descriptors[index];
      if (!descriptor || !('value' in descriptor))
        throw new Refusal('invalid-return', `${path}[${index}]: not a data property`);
      copy.push(toPlainData(descriptor.value, `${path}[${index}]`, depth + 1, budget));
    }
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new Refusal('invalid-return', `${path}: not a plain object`);
    }
    copy = {};
    for (const key of keys) {
      if (typeof key !== 'string') throw new Refusal('invalid-return', `${path}: symbol key`);
      const descriptor = descriptors[key];
      if (!('value' in descriptor)) throw new Refusal('invalid-return', `${path}.${key}: getter or setter`);
      if (descriptor.value === undefined) continue;
      budget.chars -= key.length + 4;
      copy[key] = toPlainData(descriptor.value, `${path}.${key}`, depth + 1, budget);
    }
  }
  budget.seen.delete(value);
  return copy;
}

function plain(value, path) {
  return toPlainData(value, path, 0, { chars: maxResultChars, seen: new Set() });
}

/** Evaluates the wrapped module in a fresh compartment; returns the mechanism's description as plain data. */
function load(source, known) {
  if (!Array.isArray(known) || !known.every((hook) => typeof hook === 'string')) {
    throw new Refusal('crash', 'load needs the list of hook names');
  }
  hookNames = new Set(known);
  const compartment = new Compartment({ __options__: true, name: 'mechanism' });
  let exported;
  try {
    exported = compartment.evaluate(source);
  } catch (thrown) {
    throw new Refusal('throw', `module evaluation failed: ${describeThrown(thrown)}`);
  }
  const candidate = exported && typeof exported === 'object' ? exported.default : undefined;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new Refusal(
      'invalid-return',
      'the module has no default export object (export default defineMechanism({...}))',
    );
  }
  const hooks = [];
  for (const name of hookNames) if (typeof candidate[name] === 'function') hooks.push(name);
  const meta = {
    specificationVersion: candidate.specificationVersion,
    name: candidate.name,
    description: candidate.description,
    params: candidate.params === undefined ? undefined : plain(candidate.params, 'params'),
    hasInit: typeof candidate.init === 'function',
    hooks,
  };
  if (meta.specificationVersion !== 'mechanism-v1' && meta.specificationVersion !== 'mechanism-v2') {
    throw new Refusal('invalid-return', "specificationVersion must be 'mechanism-v2' (or 'mechanism-v1')");
  }
  if (typeof meta.name !== 'string' || typeof meta.description !== 'string') {
    throw new Refusal('invalid-return', 'name and description must be strings');
  }
  mechanism = candidate;
  state = undefined;
  stateJson = undefined;
  return meta;
}

/** Stores a state produced by the mechanism: validated, copied, deep-frozen for the decision hooks. */
function setState(next) {
  const copy = plain(next, 'state');
  state = harden(copy);
  stateJson = copy;
}

function init(seed, config) {
  if (typeof mechanism.init !== 'function') {
    state = undefined;
    stateJson = undefined;
    return;
  }
  setState(mechanism.init(harden({ seed, config })));
}

function call(hook, args) {
  if (!hookNames.has(hook) || typeof mechanism[hook] !== 'function') {
    throw new Refusal('invalid-return', `the mechanism has no ${hook} hook`);
  }
  if (hook === 'onTrialEnd') {
    // As in process: the observer gets a private mutable copy; only what it returns replaces the state.
    const working = stateJson === undefined ? undefined : JSON.parse(JSON.stringify(stateJson));
    const result = mechanism.onTrialEnd(args[0], args[1], working);
    if (result !== undefined) setState(result);
    return { stateChanged: true };
  }
  const result = mechanism[hook](...args, state);
  if (hook === 'onRunEnd') return {};
  return result === undefined ? { declined: true } : { value: plain(result, 'result') };
}

function handle(message) {
  switch (message.type) {
    case 'load':
      return { meta: load(message.source, message.hooks) };
    case 'init':
      init(message.seed, message.config);
      return { state: stateJson };
    case 'set-state':
      if (message.state === undefined) {
        state = undefined;
        stateJson = undefined;
      } else setState(message.state);
      return {};
    case 'call': {
      const outcome = call(message.hook, message.args);
      return outcome.stateChanged ? { state: stateJson } : outcome;
    }
    default:
      throw new Refusal('crash', `unknown message type ${String(message.type)}`);
  }
}

/** A promise the mechanism left rejected during the current request (hooks are synchronous; this is its fault). */
let asyncFault;

function onMessage(message) {
  let reply;
  asyncFault = undefined;
  try {
    if (message.type !== 'load' && mechanism === undefined) throw new Refusal('crash', 'no mechanism loaded');
    reply = { id: message.id, ok: true, ...handle(message) };
  } catch (thrown) {
    const kind = thrown instanceof Refusal ? thrown.kind : 'throw';
    reply = { id: message.id, ok: false, kind, message: describeThrown(thrown) };
  }
  // Answer after the promise jobs the call queued have run, so a rejection they leave counts against this call
  // (a job queue that never drains is caught by the client's time limit).
  setImmediate(() => {
    if (asyncFault !== undefined && reply.ok) {
      reply = { id: message.id, ok: false, kind: 'throw', message: `a promise was left rejected: ${asyncFault}` };
    }
    reply.rss = process.memoryUsage.rss();
    if (reply.rss > rssLimitBytes) {
      reply = { id: message.id, ok: false, kind: 'memory', message: `resident memory ${reply.rss} bytes over the cap` };
    }
    parentPort.postMessage(reply);
  });
}

if (isMainThread) {
  const worker = new Worker(__filename, {
    argv: process.argv.slice(2),
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb || 128, maxYoungGenerationSizeMb: 16 },
    stdout: false,
    stderr: false,
  });
  worker.on('message', (message) => process.send(message));
  process.on('message', (message) => worker.postMessage(message));
  worker.on('error', (error) => {
    process.stderr.write(`sandbox worker failed: ${error.code || ''} ${error.message}\n`);
    process.exit(70);
  });
  worker.on('exit', (code) => {
    process.stderr.write(`sandbox worker exited with code ${code}\n`);
    process.exit(71);
  });
  // bilevel went away (even by SIGKILL): the IPC channel closes and the host ends, spinning worker included.
  process.on('disconnect', () => process.exit(0));
} else {
  runWorker();
}
