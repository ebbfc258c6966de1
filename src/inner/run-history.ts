// The run's bounded memory of its trials: recent window, recent kept trials and the incumbent. Constant size.
import { isBetter } from '../core/metric-direction.js';
import { keptWithIncumbent, type TrialMemory } from '../mechanisms/build-context.js';
import type { TrialRecord } from '../records/trial-record.js';

export class RunHistory {
  /** Number of trials recorded (with one worker, also the next trial's index). */
  count = 0;
  /** The best kept trial with a metric (earliest on ties), or null. */
  incumbent: TrialRecord | null = null;
  private readonly window: TrialRecord[] = [];
  private readonly keptWindow: TrialRecord[] = [];

  constructor(
    readonly direction: 'minimize' | 'maximize',
    /** How many recent trials to keep. */
    readonly windowSize: number,
    /** How many recent kept trials to keep. */
    readonly keptSize: number,
  ) {}

  /** Rebuilds from storage: the recent trials, the recent kept ones, the incumbent and the count. */
  static restore(
    direction: 'minimize' | 'maximize',
    sizes: { window: number; kept: number },
    stored: { recent: TrialRecord[]; kept: TrialRecord[]; incumbent: TrialRecord | null; count: number },
  ): RunHistory {
    const history = new RunHistory(direction, sizes.window, sizes.kept);
    history.window.push(...stored.recent);
    history.keptWindow.push(...stored.kept);
    history.incumbent = stored.incumbent;
    history.count = stored.count;
    return history;
  }

  add(trial: TrialRecord): void {
    this.count += 1;
    this.window.push(trial);
    if (this.window.length > this.windowSize) this.window.shift();
    if (trial.status !== 'keep') return;
    this.keptWindow.push(trial);
    if (this.keptWindow.length > this.keptSize) this.keptWindow.shift();
    if (
      trial.metric !== null &&
      (this.incumbent === null || isBetter(trial.metric, this.incumbent.metric as number, this.direction))
    ) {
      this.incumbent = trial;
    }
  }

  /** Recent trials, oldest first. */
  recent(): readonly TrialRecord[] {
    return this.window;
  }

  /** Recent kept trials, oldest first, always including the incumbent (it replaces the oldest if missing). */
  kept(): TrialRecord[] {
    return keptWithIncumbent(this.keptWindow, this.incumbent);
  }

  /** What a mechanism context shows of the trials: this memory as the context builder reads it. */
  memory(): TrialMemory {
    return { recent: this.window, kept: this.kept(), incumbent: this.incumbent, count: this.count };
  }

  /** The kept trial with this index, if it is in memory. */
  findKept(index: number): TrialRecord | undefined {
    return this.kept().find((trial) => trial.index === index);
  }

  /** The trial the next proposal branches from by default: the incumbent, else the baseline. */
  defaultParent(): TrialRecord | undefined {
    return this.incumbent ?? this.keptWindow[this.keptWindow.length - 1];
  }
}
