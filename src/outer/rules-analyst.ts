// The deterministic Level 1.5 analyst: freezes params that keep failing, unfreezes when the search moves.
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { SearchSettings } from '../records/search-settings.js';
import { freezeSettings } from '../records/settings-snapshot.js';
import type { ParamSpec } from '../task/task-definition.js';
import type { Analyst, AnalystInput, AnalystResult } from './analyst.js';
import { frozenSince, unfrozenAt } from './freeze-dates.js';
import { buildParamTable } from './param-table.js';
import { rulesGuidance } from './rules-guidance.js';

export interface RulesAnalystOptions {
  /** Freeze a param after this many executed moves with no keep (since its last keep or unfreeze). Default 4. */
  freezeAfter?: number;
  /** Never leave fewer than this many movable params active (the oldest freeze is undone first). Default 3. */
  minActive?: number;
  /** Unfreeze a param after it has been frozen for this many trials. Default 15. */
  unfreezeAfterTrials?: number;
  /** Unfreeze every frozen param when a trial was kept after it was frozen (the search moved). Default true. */
  unfreezeOnKeep?: boolean;
  /** `exploit` when a trial among the last this-many was kept. Default 5. */
  recentTrials?: number;
  /** `explore` when no trial was kept for this many trials. Default 10. */
  plateauTrials?: number;
}

/** True when proposals can move the param at all. */
function isMovable(param: ParamSpec): boolean {
  return param.type === 'choice' ? param.choices.length > 1 : param.max > param.min;
}

function latestKeep(history: readonly TrialRecordView[]): TrialRecordView | undefined {
  let latest: TrialRecordView | undefined;
  for (const trial of history)
    if (trial.status === 'keep' && (latest === undefined || trial.index > latest.index)) latest = trial;
  return latest;
}

function chooseStrategy(
  history: readonly TrialRecordView[],
  trialIndex: number,
  latestKeepIndex: number,
  options: { recentTrials: number; plateauTrials: number },
): { strategy: SearchSettings['strategy']; reason: string } {
  const recentKeeps = history.filter(
    (trial) => trial.index > 0 && trial.index > trialIndex - options.recentTrials && trial.status === 'keep',
  ).length;
  if (recentKeeps > 0)
    return { strategy: 'exploit', reason: `${recentKeeps} keep(s) in the last ${options.recentTrials} trials` };
  const sinceKeep = trialIndex - latestKeepIndex;
  if (sinceKeep >= options.plateauTrials)
    return { strategy: 'explore', reason: `no keep in the last ${sinceKeep} trials` };
  return { strategy: 'balanced', reason: `no keep in the last ${options.recentTrials} trials, no plateau yet` };
}

export function createRulesAnalyst(options: RulesAnalystOptions = {}): Analyst {
  const freezeAfter = options.freezeAfter ?? 4;
  const minActive = options.minActive ?? 3;
  const unfreezeAfterTrials = options.unfreezeAfterTrials ?? 15;
  const unfreezeOnKeep = options.unfreezeOnKeep ?? true;
  const recentTrials = options.recentTrials ?? 5;
  const plateauTrials = options.plateauTrials ?? 10;

  async function analyze(input: AnalystInput): Promise<AnalystResult> {
    const previous = input.previous ?? [];
    const changes: string[] = [];
    const movable = input.params.filter(isMovable);
    const movableNames = new Set(movable.map((param) => param.name));
    const whole = buildParamTable(input.params, input.history, input.direction);
    const rowOf = new Map(whole.map((row) => [row.name, row]));
    const incumbent = latestKeep(input.history);
    const keepIndex = incumbent?.index ?? 0;

    // 1. Unfreeze what the search has moved past, or what has been frozen long enough.
    const frozen: { name: string; since: number }[] = [];
    const unfrozenNow = new Set<string>();
    for (const name of input.settings.frozen) {
      if (!rowOf.has(name)) {
        changes.push(`dropped ${name} from the frozen list: not a param of this task`);
        continue;
      }
      const since = frozenSince(name, previous) ?? rowOf.get(name)?.lastMoved ?? 0;
      if (unfreezeOnKeep && keepIndex > since) {
        changes.push(
          `unfroze ${name}: trial ${keepIndex} was kept after it was frozen (after trial ${since}); the search moved`,
        );
        unfrozenNow.add(name);
      } else if (input.trialIndex - since >= unfreezeAfterTrials) {
        changes.push(`unfroze ${name}: frozen for ${input.trialIndex - since} trials`);
        unfrozenNow.add(name);
      } else {
        frozen.push({ name, since });
      }
    }

    // 2. Freeze params moved freezeAfter times or more since their last keep (or unfreeze), none kept.
    const candidates: { name: string; fruitless: number }[] = [];
    for (const param of movable) {
      if (unfrozenNow.has(param.name) || frozen.some((entry) => entry.name === param.name)) continue;
      const windowStart = Math.max(rowOf.get(param.name)?.lastKept ?? 0, unfrozenAt(param.name, previous) ?? 0);
      const [row] = buildParamTable([param], input.history, input.direction, { after: windowStart });
      if (row !== undefined && row.moved >= freezeAfter) candidates.push({ name: param.name, fruitless: row.moved });
    }
    candidates.sort((left, right) => right.fruitless - left.fruitless || left.name.localeCompare(right.name));

    // 3. Keep at least minActive movable params active: drop the oldest freezes first, then the weakest candidates.
    const room = Math.max(0, movable.length - minActive);
    const kept = [...frozen].sort((left, right) => left.since - right.since || left.name.localeCompare(right.name));
    while (kept.length + candidates.length > room && kept.length > 0) {
      const oldest = kept.shift() as { name: string; since: number };
      changes.push(
        `unfroze ${oldest.name}: the oldest freeze (after trial ${oldest.since}), to keep ${minActive} params active`,
      );
    }
    const accepted = candidates.slice(0, Math.max(0, room - kept.length));
    for (const candidate of candidates.slice(accepted.length)) {
      changes.push(
        `did not freeze ${candidate.name} (${candidate.fruitless} moves, none kept): ${minActive} params must stay active`,
      );
    }
    for (const candidate of accepted) {
      changes.push(`froze ${candidate.name}: ${candidate.fruitless} proposals moved it, none kept`);
    }
    const keptNames = new Set(kept.map((entry) => entry.name));
    const acceptedNames = new Set(accepted.map((entry) => entry.name));
    const nextFrozen = input.params
      .map((param) => param.name)
      .filter((name) => movableNames.has(name) && (keptNames.has(name) || acceptedNames.has(name)));

    // 4. Strategy and guidance.
    const { strategy, reason } = chooseStrategy(input.history, input.trialIndex, keepIndex, {
      recentTrials,
      plateauTrials,
    });
    if (strategy !== input.settings.strategy)
      changes.push(`strategy ${input.settings.strategy} → ${strategy}: ${reason}`);
    const guidance = rulesGuidance(whole, incumbent?.values ?? {});
    if (guidance !== input.settings.guidance) changes.push(`guidance: ${guidance === '' ? '(none)' : guidance}`);

    const keeps = input.history.filter((trial) => trial.index > 0 && trial.status === 'keep').length;
    const rationale =
      `Cycle ${input.cycle} after trial ${input.trialIndex}: ${keeps} keep(s) so far, the latest at trial ${keepIndex}. ` +
      `Frozen: ${nextFrozen.length === 0 ? 'none' : nextFrozen.join(', ')} (a param freezes after ${freezeAfter} moves with no keep; ` +
      `at least ${minActive} stay active). Strategy ${strategy}: ${reason}.`;
    return { settings: freezeSettings({ frozen: nextFrozen, strategy, guidance }), rationale, changes, ok: true };
  }

  return { specificationVersion: 'analyst-v1', name: 'rules', analyze };
}
