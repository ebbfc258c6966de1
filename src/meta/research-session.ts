// One Level 2 research session with an LLM: explore → critique → specify → generate, then gate and repair.

import { sha256 } from '../core/hash.js';
import { loadPrompt, renderTemplate } from '../core/prompts.js';
import { type GateReport, inertProblem } from '../gate/run-gate.js';
import { isRunStop } from '../inner/stop-rule.js';
import type { LanguageModel } from '../llm/language-model.js';
import { isLlmCallError } from '../llm/llm-call-error.js';
import { generateStructured } from '../llm/structured.js';
import type { MetaAttempt, MetaRound } from '../storage/meta-tables.js';
import type { TraceDiagnosis } from './diagnose-trace.js';
import {
  carried,
  clip,
  formatDiagnosis,
  formatProblems,
  loadMetaSources,
  metaPromptCharLimit,
  problemLimit,
  repairSourceCap,
} from './meta-prompt-context.js';
import {
  critiqueReplySchema,
  exploreReplySchema,
  generateReplySchema,
  metaSchemaNames,
  repairReplySchema,
  specifyReplySchema,
} from './meta-replies.js';

/** Taken names listed in the specify prompt. */
const reservedNamesShown = 60;

/** The prompt files of a session, by round (record their hashes with the run). */
export const metaPromptNames = [
  'meta-explore',
  'meta-critique',
  'meta-specify',
  'meta-generate',
  'meta-repair',
] as const;

export interface ResearchInput {
  /** The model for role `research`. */
  readonly model: LanguageModel;
  /** Task name and description, for the explore round. */
  readonly task: string;
  readonly diagnosis: TraceDiagnosis;
  /** Active mechanisms and the library, already formatted and capped (meta-prompt-context.ts). */
  readonly library: string;
  /** Names the new mechanism may not take (built-ins, library entries, mechanisms in the run). */
  readonly reservedNames: readonly string[];
  /** Puts a module through the gate on the run's recorded trials (never runs it in this process). */
  readonly gate: (source: string) => Promise<GateReport>;
  /** Repair round trips after the first failed gate. */
  readonly repairAttempts: number;
  /** Seed passed to each call (reproducible where the provider honours it). */
  readonly seed: number;
  readonly signal?: AbortSignal;
}

export interface ResearchResult {
  /** `passed`: `source` passed the gate; the others end the session without a mechanism. */
  readonly outcome: 'passed' | 'no-selection' | 'refused' | 'inert' | 'failed';
  readonly rounds: MetaRound[];
  /** The selected candidate with its specification; null when none was selected. */
  readonly chosen: unknown;
  readonly attempts: MetaAttempt[];
  /** The name the module gave itself (or the specified one), when a module was written. */
  readonly mechanism: string | null;
  /** The passing module and its report. */
  readonly source?: string;
  readonly report?: GateReport;
  /** The selected candidate's failure mode (stored with a passing module so offline runs can match it). */
  readonly targets: string;
  readonly detail: string;
}

/** Runs the session to its end; expected failures (bad replies, refused modules) are outcomes, not throws. */
export async function runResearchSession(input: ResearchInput): Promise<ResearchResult> {
  const rounds: MetaRound[] = [];
  const attempts: MetaAttempt[] = [];
  const sources = loadMetaSources();
  const diagnosis = formatDiagnosis(input.diagnosis);
  const end = (
    outcome: ResearchResult['outcome'],
    detail: string,
    extra: Partial<ResearchResult> = {},
  ): ResearchResult => ({
    outcome,
    rounds,
    attempts,
    chosen: null,
    mechanism: null,
    targets: '',
    detail,
    ...extra,
  });

  const ask = async <T>(
    round: string,
    promptName: (typeof metaPromptNames)[number],
    schema: import('zod').ZodType<T>,
    schemaName: string,
    values: Record<string, string>,
  ): Promise<T | undefined> => {
    const { system, user } = renderRound(promptName, values);
    const prompt = `${system}\n<!-- user -->\n${user}`;
    const record = { round, promptSha256: sha256(prompt), prompt };
    try {
      const reply = await generateStructured(
        input.model,
        schema,
        {
          role: 'research',
          schemaName,
          system,
          messages: [{ role: 'user', content: user }],
          maxOutputTokens: 8000,
          temperature: 0,
          seed: input.seed + rounds.length,
          ...(input.signal === undefined ? {} : { signal: input.signal }),
        },
        { maxAttempts: 2 },
      );
      if (!reply.ok) {
        rounds.push({
          ...record,
          reply: null,
          error: `no usable reply after ${reply.attempts} attempt(s): ${reply.reason}`,
        });
        return undefined;
      }
      rounds.push({ ...record, reply: reply.value });
      return reply.value;
    } catch (error) {
      if (isLlmCallError(error) && !isRunStop(error, input.signal)) {
        rounds.push({ ...record, reply: null, error: `the call failed: ${error.message}` });
        return undefined;
      }
      throw error;
    }
  };
  const failedRound = () => end('failed', `the ${rounds.at(-1)?.round} round failed: ${rounds.at(-1)?.error ?? ''}`);

  const explored = await ask('explore', 'meta-explore', exploreReplySchema, metaSchemaNames.explore, {
    task: clip(input.task, 800),
    diagnosis,
    trialCycleSource: sources.trialCycle,
    contractSource: sources.contract,
    examples: sources.examples
      .map((example) => `### ${example.path}\n\n\`\`\`ts\n${example.source}\n\`\`\``)
      .join('\n\n'),
    library: input.library,
  });
  if (!explored) return failedRound();
  const candidates = explored.candidates.slice(0, 4);

  const critique = await ask('critique', 'meta-critique', critiqueReplySchema, metaSchemaNames.critique, {
    diagnosis,
    library: input.library,
    candidates: carried(candidates),
  });
  if (!critique) return failedRound();
  const choice = critique.selected.trim();
  const selected =
    choice.toLowerCase() === 'none' ? undefined : candidates.find((candidate) => candidate.name === choice);
  if (!selected) {
    return end(
      'no-selection',
      `critique selected ${choice.toLowerCase() === 'none' || choice === '' ? 'none' : `"${clip(choice, 60)}", not a candidate`}: ${clip(critique.rationale, 300)}`,
    );
  }

  // Capped in the prompt; the gate still refuses any taken name, and the repair prompt says which.
  const shown = input.reservedNames.slice(0, reservedNamesShown);
  const hidden = input.reservedNames.length - shown.length;
  const reserved = `${shown.join(', ') || 'none'}${hidden > 0 ? ` (and ${hidden} more)` : ''}`;
  const specification = await ask('specify', 'meta-specify', specifyReplySchema, metaSchemaNames.specify, {
    diagnosis,
    candidate: carried(selected),
    contractSource: sources.contract,
    reservedNames: reserved,
  });
  if (!specification) return failedRound();
  const chosen = { candidate: selected, specification };
  const specText = carried(specification);

  const generated = await ask('generate', 'meta-generate', generateReplySchema, metaSchemaNames.generate, {
    specification: specText,
    contractSource: sources.contract,
    example: sources.examples[0]?.source ?? '',
  });
  if (!generated) return end('failed', 'the generate round gave no module', { chosen });

  let source = generated.module;
  let report: GateReport | undefined;
  for (let attempt = 0; ; attempt += 1) {
    report = await input.gate(source);
    attempts.push({
      attempt,
      sourceSha256: sha256(source),
      source,
      gate: { ...report, compiledJs: undefined },
    });
    const name = report.mechanism?.name ?? specification.name;
    if (report.ok) {
      return end('passed', `passed the gate on attempt ${attempt + 1}`, {
        chosen,
        source,
        report,
        mechanism: name,
        targets: selected.targets,
      });
    }
    if (attempt >= input.repairAttempts) {
      const onlyInert = report.problems.length > 0 && report.problems.every((problem) => problem.startsWith('inert:'));
      return onlyInert
        ? end('inert', `flagged inert after ${attempt + 1} attempt(s): ${inertProblem}`, { chosen, mechanism: name })
        : end(
            'refused',
            `refused at ${report.stageReached} after ${attempt + 1} attempt(s): ${clip(report.problems.join(' | '), 300)}`,
            { chosen, mechanism: name },
          );
    }
    const repaired = await ask(`repair-${attempt + 1}`, 'meta-repair', repairReplySchema, metaSchemaNames.repair, {
      specification: specText,
      problemCount: String(report.problems.length),
      problemLimit: String(problemLimit),
      problems: formatProblems(report.problems),
      source: clip(source, repairSourceCap),
      contractSource: sources.contract,
    });
    if (!repaired) return end('failed', `repair ${attempt + 1} gave no module`, { chosen, mechanism: name });
    source = repaired.module;
  }
}

/** Fills a prompt file's system and user parts; the user part is clipped so the whole stays within the bound. */
export function renderRound(
  promptName: (typeof metaPromptNames)[number],
  values: Readonly<Record<string, string>>,
): { system: string; user: string } {
  const text = loadPrompt(promptName).text;
  const marker = text.indexOf('<!-- user -->');
  const system = renderTemplate(marker < 0 ? '' : text.slice(0, marker).trim(), values);
  const user = renderTemplate(marker < 0 ? text : text.slice(marker + '<!-- user -->'.length).trim(), values);
  const room = metaPromptCharLimit - system.length - '\n<!-- user -->\n'.length;
  return { system, user: user.length <= room ? user : `${user.slice(0, room - 40)}\n… [prompt clipped]` };
}
