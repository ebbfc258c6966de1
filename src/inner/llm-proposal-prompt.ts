// Renders the proposer's prompts (propose-params, propose-code, fix-crash) from a ProposalContext, bounded in size.
import { directionWords } from '../core/metric-direction.js';
import { loadPrompt, type PromptFile, renderTemplate } from '../core/prompts.js';
import type { Proposal } from '../records/proposal.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import { cell, formatMetric, formatValue, renderProposalHistory } from './prompt-history.js';
import type { ProposalContext } from './proposer.js';

export interface PromptSizeOptions {
  /** Rows of the recent-trials table. Default 12. */
  historyLimit?: number;
  /** Most characters of editable files shown in code mode, all files together. Default 60000. */
  maxFileChars?: number;
}

/** A rendered prompt: the system text, the user message, and the file it came from (name and hash). */
export interface RenderedPrompt {
  system: string;
  user: string;
  prompt: PromptFile;
}

/** Longest list of allowed choices shown for one param, in characters (cut between values). */
const maxAllowedCell = 1000;
/** Longest single value shown (a long string choice); values from task.json are rarely near it. */
const maxValueCell = 400;
/** Longest task description shown, in characters. */
const maxDescription = 2000;
/** Longest free-text guidance from the search settings, in characters. */
const maxGuidance = 1500;
/** Mechanism guidance lines shown, and the longest of each. */
const maxGuidanceLines = 12;
const maxGuidanceLine = 300;
/** Longest rejection feedback echoed back, in characters. */
const maxFeedback = 1500;
/** Longest error tail shown to the crash fixer, in characters (the end is kept). */
const maxErrorTail = 4000;
/** Marks where the system part of a prompt file ends and the user message begins. */
const userMarker = '<!-- user -->';

/**
 * The proposal prompt for `context` (params or code mode, from `context.task.mode`). Its size is bounded
 * whatever the number of trials: the history is a fixed-size aggregate plus the last `historyLimit` trials.
 */
export function renderProposalPrompt(context: ProposalContext, options: PromptSizeOptions = {}): RenderedPrompt {
  const prompt = loadPrompt(context.task.mode === 'code' ? 'propose-code' : 'propose-params');
  const values: Record<string, string> = {
    ...commonValues(context),
    params: renderParams(context.params, context.current, context.settings.frozen),
    settings: renderSettings(context),
    trialCount: String(context.trialCount),
    history: renderProposalHistory(context.history, context.trialCount, context.params, {
      recent: options.historyLimit ?? 12,
      direction: context.task.metric.direction,
    }),
    feedback: renderFeedback(context.feedback),
    running: renderRunning(context.pending),
    trialIndex: String(context.trialIndex),
    files: renderFiles(context.files, options.maxFileChars ?? 60_000),
  };
  return split(prompt, values);
}

/** The crash-fix prompt: the crashing change, the end of the program's output, the files as they are now (fixAttempt from 0). */
export function renderFixPrompt(
  context: ProposalContext & { proposal: Proposal; errorTail: string; fixAttempt: number },
  options: PromptSizeOptions & { maxFixAttempts: number },
): RenderedPrompt {
  const prompt = loadPrompt('fix-crash');
  const tail =
    context.errorTail.length <= maxErrorTail ? context.errorTail : `…${context.errorTail.slice(-maxErrorTail)}`;
  return split(prompt, {
    ...commonValues(context),
    proposal: renderProposal(context.proposal),
    errorTail: tail.replace(/```/g, "'''"),
    files: renderFiles(context.files, options.maxFileChars ?? 60_000),
    fixAttempt: String(context.fixAttempt + 1),
    maxFixAttempts: String(options.maxFixAttempts),
    feedback: renderFeedback(context.feedback),
  });
}

/** Trials in flight listed at most (the oldest first), so the prompt stays bounded with many workers. */
const maxRunningShown = 16;

/** The trials running now (several workers): what not to propose again. Empty with one worker. */
function renderRunning(pending: ProposalContext['pending']): string {
  if (pending.length === 0) return '';
  const lines = pending.slice(0, maxRunningShown).map((trial) => {
    const change = Object.entries(trial.changed)
      .map(([name, [before, after]]) => `${name} ${formatValue(before)} -> ${formatValue(after)}`)
      .join(', ');
    return `- trial ${trial.index} (from trial ${trial.parent}): ${cell(change || trial.summary, 300)}`;
  });
  const more = pending.length > maxRunningShown ? [`- … and ${pending.length - maxRunningShown} more`] : [];
  return `\n## Running now (proposed, not measured yet: do not propose these again)\n\n${[...lines, ...more].join('\n')}\n`;
}

function split(prompt: PromptFile, values: Record<string, string>): RenderedPrompt {
  const at = prompt.text.indexOf(userMarker);
  const systemTemplate = at === -1 ? '' : prompt.text.slice(0, at);
  const userTemplate = at === -1 ? prompt.text : prompt.text.slice(at + userMarker.length);
  return {
    system: renderTemplate(systemTemplate, values).trim(),
    user: renderTemplate(userTemplate, values).trim(),
    prompt,
  };
}

function commonValues(context: ProposalContext): Record<string, string> {
  const { task, incumbentMetric } = context;
  const description =
    task.description.length <= maxDescription ? task.description : `${task.description.slice(0, maxDescription)}…`;
  return {
    task: `${task.name}: ${description}`,
    metricName: task.metric.name,
    direction: task.metric.direction,
    directionWords: directionWords(task.metric.direction),
    incumbent:
      incumbentMetric === null ? 'none yet (the baseline did not produce a metric)' : formatMetric(incumbentMetric),
  };
}

function renderParams(
  params: readonly ParamSpec[],
  current: Record<string, ParamValue>,
  frozen: readonly string[],
): string {
  if (params.length === 0) return '(none declared)';
  const lines = ['| name | kind | allowed | current | note |', '| --- | --- | --- | --- | --- |'];
  for (const param of params) {
    const kind =
      param.type === 'choice'
        ? 'choice'
        : `${param.integer ? 'integer' : 'number'}${param.scale === 'log' ? ', log scale' : ''}`;
    const allowed = allowedValues(param);
    const note = [frozen.includes(param.name) ? 'FROZEN: do not change' : '', param.description ?? '']
      .filter((part) => part !== '')
      .join('; ');
    lines.push(
      `| ${param.name} | ${kind} | ${allowed} | ${cell(formatValue(current[param.name]), maxValueCell)} | ${cell(note, 120)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * What a param allows, in values the model can copy exactly: the range's ends, or the choices whole. A long choice
 * list is cut between values (never inside one) and says how many are left out; the reply schema lists them all.
 */
function allowedValues(param: ParamSpec): string {
  if (param.type === 'number') return `${formatValue(param.min)} … ${formatValue(param.max)}`;
  const shown: string[] = [];
  let length = 0;
  for (const choice of param.choices) {
    const text = cell(formatValue(choice), maxValueCell);
    if (shown.length > 0 && length + text.length > maxAllowedCell) break;
    shown.push(text);
    length += text.length + 2;
  }
  const left = param.choices.length - shown.length;
  return shown.join(', ') + (left > 0 ? `, … (${left} more)` : '');
}

const strategyWords: Record<ProposalContext['settings']['strategy'], string> = {
  explore: 'explore: make wide moves, far from the incumbent, to find new regions',
  exploit: 'exploit: make small moves around the incumbent',
  balanced: 'balanced: mostly moderate moves, with an occasional wider one',
};

function renderSettings(context: ProposalContext): string {
  const { settings } = context;
  const lines = [
    `- strategy: ${strategyWords[settings.strategy]}`,
    `- frozen (must not change): ${settings.frozen.length === 0 ? 'none' : settings.frozen.join(', ')}`,
  ];
  if (context.focus.length > 0) lines.push(`- focus (change only these now): ${context.focus.join(', ')}`);
  if (context.avoid.length > 0) lines.push(`- avoid changing this trial: ${context.avoid.join(', ')}`);
  if (settings.guidance.trim() !== '') {
    const guidance = settings.guidance.trim();
    lines.push(`- guidance: ${cell(guidance, maxGuidance)}`);
  }
  const extra = context.guidance.slice(0, maxGuidanceLines);
  for (const line of extra) lines.push(`- ${cell(line, maxGuidanceLine)}`);
  if (context.guidance.length > extra.length)
    lines.push(`- (${context.guidance.length - extra.length} more hints not shown)`);
  return lines.join('\n');
}

function renderFeedback(feedback: string | undefined): string {
  if (feedback === undefined || feedback.trim() === '') return '';
  const text = feedback.length <= maxFeedback ? feedback : `${feedback.slice(0, maxFeedback)}…`;
  return `\n## Your previous proposal for this trial was rejected\n\n${text}\nAvoid this mistake in the new proposal.\n`;
}

function renderFiles(files: Record<string, string>, maxChars: number): string {
  const entries = Object.entries(files);
  if (entries.length === 0) return '(none)';
  let budget = maxChars;
  const blocks: string[] = [];
  for (const [path, text] of entries) {
    const shown =
      text.length <= budget
        ? text
        : `${text.slice(0, Math.max(0, budget))}\n… (${text.length - budget} more characters not shown)`;
    budget = Math.max(0, budget - text.length);
    blocks.push(`### ${path}\n\n\`\`\`\`\n${shown}\n\`\`\`\``);
  }
  return blocks.join('\n\n');
}

function renderProposal(proposal: Proposal): string {
  if (proposal.kind === 'params') {
    const values = Object.entries(proposal.values).map(([name, value]) => `${name} = ${formatValue(value)}`);
    return `${cell(proposal.summary, 200)}\nValues set: ${values.join(', ')}`;
  }
  const edits = proposal.edits.map(
    (edit) =>
      `In ${edit.file} replaced:\n\`\`\`\`\n${edit.search}\n\`\`\`\`\nwith:\n\`\`\`\`\n${edit.replace}\n\`\`\`\``,
  );
  return [cell(proposal.summary, 200), ...edits].join('\n\n').slice(0, 8000);
}
