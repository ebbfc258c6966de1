// Built-in mechanism: after a plateau, restart from the best (or last) kept trial with wide exploration.
/**
 * Source: restarts in local search — H. R. Lourenço, O. Martin, T. Stützle, "Iterated Local Search",
 * Handbook of Metaheuristics, 2003 (perturb and restart from an elite solution when progress stalls); the
 * Bilevel Autoresearch paper (Qu & Lu, arXiv 2603.23420) found its measured gain came from an unplanned
 * restart protocol, so here the protocol is an explicit, recorded setting (`from`).
 *
 * After `patience` trials without a new best kept metric, the next `duration` trials branch from the best
 * kept trial (`from: best`) or the most recent one (`from: last`), and the prompt asks for large moves on
 * the least-moved params. The patience counter restarts after each restart. Declines outside that window.
 */
import { defineMechanism, type MechanismContext, type PromptParts } from '../mechanism.js';

export interface PlateauRestartState {
  /** Best kept metric so far; null before the first measured keep. */
  best: number | null;
  /** Trial index of the last new best (or of the last restart). */
  lastImprovement: number;
  /** First trial of the current or latest restart window; null before any restart. */
  restartAt: number | null;
  restarts: number;
  /** Trials that ran and moved each param, by name. */
  moves: Record<string, number>;
}

export const plateauRestart = defineMechanism<PlateauRestartState>({
  specificationVersion: 'mechanism-v1',
  name: 'plateau-restart',
  description:
    'Stops the search from stalling in one basin: after a run of trials without a new best, branches from the best (or last) kept trial and asks for wide moves on rarely moved params.',
  params: {
    patience: {
      type: 'number',
      default: 8,
      min: 2,
      max: 100,
      integer: true,
      description: 'Trials without a new best that make a plateau.',
    },
    from: {
      type: 'choice',
      default: 'best',
      choices: ['best', 'last'],
      description: 'Restart point: the best kept trial, or the most recent kept trial.',
    },
    duration: {
      type: 'number',
      default: 2,
      min: 1,
      max: 10,
      integer: true,
      description: 'Trials the wide-exploration phase lasts.',
    },
  },
  init: () => ({ best: null, lastImprovement: 0, restartAt: null, restarts: 0, moves: {} }),
  onTrialEnd(context, trial, state) {
    if (trial.status !== 'rejected') {
      for (const name of Object.keys(trial.changed)) state.moves[name] = (state.moves[name] ?? 0) + 1;
    }
    const sign = context.task.metric.direction === 'minimize' ? 1 : -1;
    if (trial.status === 'keep' && trial.metric !== null) {
      if (state.best === null || sign * (state.best - trial.metric) > 0) {
        state.best = trial.metric;
        state.lastImprovement = trial.index;
      }
    }
    if (trial.index - state.lastImprovement >= Number(context.config.patience)) {
      state.restartAt = trial.index + 1;
      state.restarts += 1;
      state.lastImprovement = trial.index;
    }
    return state;
  },
  selectParent(context, state) {
    if (!inRestartWindow(context, state)) return undefined;
    const point = context.config.from === 'last' ? context.kept.at(-1) : (context.incumbent ?? undefined);
    return point === undefined ? undefined : { parent: point.index };
  },
  transformPrompt(context, prompt, state) {
    if (!inRestartWindow(context, state)) return undefined;
    const targets = leastMoved(context, prompt, state).slice(0, 2);
    const from = context.config.from === 'last' ? 'the most recent kept trial' : 'the best kept trial';
    return {
      guidance: [
        ...prompt.guidance,
        `Plateau restart ${state.restarts}: no new best for ${context.config.patience} trials; branching from ${from}. Make one large move (e.g. ×3 or ÷3 for log-scale params, the far side of the range for linear ones, a different choice)${targets.length > 0 ? `, preferably on ${targets.join(' or ')}` : ''}.`,
      ],
      focus: targets,
      avoid: prompt.avoid,
    };
  },
});

function inRestartWindow(context: MechanismContext, state: Readonly<PlateauRestartState>): boolean {
  if (state.restartAt === null) return false;
  return (
    context.trialIndex >= state.restartAt && context.trialIndex < state.restartAt + Number(context.config.duration)
  );
}

/** Eligible tunables (inside the focus when one is set), least moved first, declaration order on ties. */
function leastMoved(context: MechanismContext, prompt: PromptParts, state: Readonly<PlateauRestartState>): string[] {
  const excluded = new Set([...context.settings.frozen, ...prompt.avoid]);
  const eligible = context.tunables
    .map((tunable) => tunable.name)
    .filter((name) => !excluded.has(name) && (prompt.focus.length === 0 || prompt.focus.includes(name)));
  return eligible
    .map((name, order) => ({ name, order, moves: state.moves[name] ?? 0 }))
    .sort((a, b) => a.moves - b.moves || a.order - b.order)
    .map((entry) => entry.name);
}
