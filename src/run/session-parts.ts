// Builds what a session needs from a run's stored config: the proposer, the mechanisms and Level 1.5.
// Used by both `run` and `resume`, so a resumed run is assembled exactly like the original.

import { BilevelError } from '../core/errors.js';
import { loadPrompt } from '../core/prompts.js';
import { createLlmRouter, type LlmRouter, llmRoles } from '../llm/llm-router.js';
import { findPrice, loadPriceTable } from '../llm/prices.js';
import type { LlmCallRecord } from '../llm/with-accounting.js';
import { createMetaLevel } from '../meta/meta-level.js';
import { metaPromptNames } from '../meta/research-session.js';
import { createAnalyst } from '../outer/create-analyst.js';
import { analyzePromptName } from '../outer/llm-analyst.js';
import { createOuterLevel } from '../outer/outer-level.js';
import { defaultLlmPatienceSeconds, type RunConfig } from '../records/run-config.js';
import type { RunRecord } from '../records/run-record.js';
import type { Database } from '../storage/database.js';
import { insertLlmCall, summarizeLlmCalls } from '../storage/llm-calls-table.js';
import { updatePromptHashes } from '../storage/runs-table.js';
import { countTrials } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';
import { buildProposer } from './build-proposer.js';
import type { SessionParts } from './open-run.js';
import { loadRunMechanisms } from './run-mechanisms.js';

export interface SessionPartOptions extends Pick<SessionParts, 'signal' | 'onProgress' | 'executor'> {
  /** The state dir (library mechanisms live there). */
  stateDir: string;
  /** Environment for API keys and base URLs (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export async function buildSessionParts(
  database: Database,
  run: RunRecord,
  task: Task,
  options: SessionPartOptions,
): Promise<SessionParts> {
  const { config } = run;
  const router = config.llm ? await createRunRouter(database, run, options) : undefined;
  const { signal, onProgress, executor } = options;
  const { proposer, files } = buildProposer(database, run, task, { router, ...(onProgress ? { onProgress } : {}) });
  recordPromptHashes(database, run, files);
  const parts: SessionParts = {
    signal,
    proposer,
    ...(proposer.dispose ? { dispose: () => proposer.dispose?.() ?? Promise.resolve() } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(executor ? { executor } : {}),
  };
  if (config.levels.includes('1.5')) {
    if (router)
      recordPromptHashes(database, run, [{ name: analyzePromptName, sha256: loadPrompt(analyzePromptName).sha256 }]);
    const outer = createOuterLevel({
      database,
      run,
      task,
      analyst: router
        ? createAnalyst({ kind: 'llm', model: router.forRole('analyze') })
        : createAnalyst({ kind: 'rules' }),
    });
    parts.outer = outer;
    parts.settings = outer.current();
  }
  const mechanisms = await loadRunMechanisms(database, options.stateDir, run, task);
  if (mechanisms) {
    parts.mechanisms = mechanisms.composed;
    parts.mechanismActivity = () => mechanisms.composed.activity();
    parts.pendingEvents = mechanisms.pendingEvents;
    const disposeProposer = parts.dispose;
    parts.dispose = async () => {
      await disposeProposer?.();
      await mechanisms.composed.dispose();
    };
    if (config.levels.includes('2')) {
      if (router) {
        recordPromptHashes(
          database,
          run,
          metaPromptNames.map((name) => ({ name, sha256: loadPrompt(name).sha256 })),
        );
      }
      const meta = createMetaLevel({
        database,
        run,
        task,
        stateDir: options.stateDir,
        composed: mechanisms.composed,
        ...(router ? { model: router.forRole('research') } : {}),
      });
      parts.meta = meta;
      onProgress?.({ type: 'note', message: meta.modeLine });
    }
  }
  return parts;
}

/**
 * Builds every model the config names without calling any, so a missing key, an unknown provider or a missing
 * local runtime fails before a run is created.
 */
export async function checkLlmConfig(llm: RunConfig['llm'], env?: NodeJS.ProcessEnv): Promise<void> {
  if (!llm) return;
  const prices = loadPriceTable(llm.pricesFile);
  const router = await createLlmRouter({
    default: llm.default,
    roles: llm.roles,
    ...(llm.baseUrl === undefined ? {} : { baseUrl: llm.baseUrl }),
    ...(env === undefined ? {} : { env }),
  });
  if (llm.maxCostUsd === undefined) return;
  // A cost cap on a paid model without a price would never trigger: refuse it rather than let it look armed.
  // Priced exactly as accounting prices a call: by the built model's provider and model id.
  const unpriced = [
    ...new Set(
      llmRoles
        .map((role) => router.forRole(role))
        .filter((model) => !freeProviders.has(model.provider) && !findPrice(prices, model.provider, model.modelId))
        .map((model) => `${model.provider}:${model.modelId}`),
    ),
  ];
  if (unpriced.length > 0) {
    throw new BilevelError(
      'USAGE',
      `--max-cost-usd cannot stop this run: no price is known for ${unpriced.join(', ')}`,
      {
        hint: `give the price with --prices FILE, a JSON object like {"${unpriced[0]}": {"input": 0.5, "output": 1.5}} (USD per million tokens), or cap calls with --max-llm-calls`,
      },
    );
  }
}

/** Providers whose calls cost nothing (a model run here, a recording). */
const freeProviders = new Set(['local', 'replay']);

/**
 * One model per role with accounting into the run's `llm_calls`, the run's caps counted from what it spent, and
 * retries through an outage for the run's patience, each announced on the progress display.
 */
async function createRunRouter(
  database: Database,
  run: RunRecord,
  { env, onProgress }: Pick<SessionPartOptions, 'env' | 'onProgress'>,
): Promise<LlmRouter> {
  const llm = run.config.llm;
  if (!llm) throw new BilevelError('INTERNAL', 'createRunRouter without an LLM config');
  const spent = summarizeLlmCalls(database, run.id);
  const patienceSeconds = llm.patienceSeconds ?? defaultLlmPatienceSeconds;
  return createLlmRouter({
    prices: loadPriceTable(llm.pricesFile),
    ...(llm.timeoutSeconds === undefined ? {} : { timeoutMs: llm.timeoutSeconds * 1000 }),
    retry: {
      patienceMs: patienceSeconds * 1000,
      ...(llm.retryDelaySeconds === undefined ? {} : { initialDelayMs: llm.retryDelaySeconds * 1000 }),
      onRetry: ({ retry, delayMs, error }) =>
        onProgress?.({
          type: 'note',
          message: `LLM call failed (${error.message}); retry ${retry} in ${(delayMs / 1000).toFixed(1)} s (retrying for up to ${patienceSeconds} s)`,
        }),
    },
    default: llm.default,
    roles: llm.roles,
    ...(llm.baseUrl === undefined ? {} : { baseUrl: llm.baseUrl }),
    ...(llm.record === undefined ? {} : { record: llm.record }),
    ...(env === undefined ? {} : { env }),
    budget: {
      ...(llm.maxCostUsd === undefined ? {} : { maxCostUsd: llm.maxCostUsd }),
      ...(llm.maxCalls === undefined ? {} : { maxCalls: llm.maxCalls }),
    },
    spent: { costUsd: spent.costUsd, calls: spent.calls },
    onCall: (record: LlmCallRecord) =>
      insertLlmCall(database, { runId: run.id, trialIndex: countTrials(database, run.id), ...record }),
  });
}

function recordPromptHashes(
  database: Database,
  run: RunRecord,
  prompts: readonly { name: string; sha256: string }[],
): void {
  const hashes = { ...run.promptHashes };
  for (const prompt of prompts) hashes[prompt.name] = prompt.sha256;
  updatePromptHashes(database, run.id, hashes);
  run.promptHashes = hashes;
}
