// The study's progress display: a line per run start and end, trial progress, and the estimated time left.

import { displayLine } from '../core/display-text.js';
import type { StudyEvent, StudyPosition } from './run-study.js';

export interface StudyProgressOptions {
  /** Trials after the baseline, per run. */
  trials: number;
}

/** Prints study events to `stream`: an updating trial line on a terminal, a few trial lines per run otherwise. */
export function createStudyProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  options: StudyProgressOptions,
) {
  const interactive = stream.isTTY === true;
  const trialsPerRun = options.trials + 1;
  const every = Math.max(1, Math.ceil(options.trials / 5));
  let runStarted = performance.now();
  let trialsAtStart = 0;
  let pending = 0;
  const line = (raw: string): void => {
    const text = displayLine(raw);
    if (pending > 0) stream.write(`\r${' '.repeat(pending)}\r`);
    pending = 0;
    stream.write(`${text}\n`);
  };
  const status = (raw: string): void => {
    const text = displayLine(raw);
    if (!interactive) {
      line(text);
      return;
    }
    stream.write(`\r${text.padEnd(pending)}`);
    pending = text.length;
  };
  /** Seconds left: trials still to run (this run's and the later runs') × seconds per trial so far. */
  const timeLeft = (position: StudyPosition, trialsDone: number): string => {
    const elapsed = (performance.now() - runStarted) / 1000;
    const ranHere = trialsDone - trialsAtStart;
    const perTrial =
      position.meanRunSeconds !== null
        ? position.meanRunSeconds / trialsPerRun
        : ranHere > 0
          ? elapsed / ranHere
          : null;
    if (perTrial === null) return 'time left: estimating';
    const remaining = (position.slots - position.slot) * trialsPerRun + Math.max(0, trialsPerRun - trialsDone);
    return `time left ≈ ${duration(perTrial * remaining)}`;
  };
  const label = (position: StudyPosition): string =>
    `[${position.slot}/${position.slots}] group ${position.group} repeat ${position.repeat}`;
  return {
    onEvent(event: StudyEvent): void {
      switch (event.type) {
        case 'study-start':
          line(
            `study ${event.studyId}: ${event.slots} runs${event.reused ? ` (continuing; ${event.finished} already finished)` : ''}`,
          );
          break;
        case 'run-skip':
          line(`${label(event.position)}: run ${event.position.runId} already finished, reused`);
          break;
        case 'run-start':
          runStarted = performance.now();
          trialsAtStart = event.trialsDone;
          line(
            `${label(event.position)}: run ${event.position.runId} ${event.resumed ? `resumed after ${event.trialsDone} recorded trials` : 'started'}`,
          );
          break;
        case 'run-progress': {
          const progress = event.event;
          if (progress.type === 'note') line(`${label(event.position)}: ${progress.message}`);
          if (progress.type !== 'trial-end') break;
          const { index } = progress.trial;
          if (!interactive && index % every !== 0 && index !== progress.total) break;
          const best = progress.best?.metric == null ? '—' : progress.best.metric.toFixed(6);
          status(
            `${label(event.position)}: trial ${index}/${progress.total}, best ${best}, ${timeLeft(event.position, index + 1)}`,
          );
          break;
        }
        case 'run-end':
          line(
            `${label(event.position)}: run ${event.position.runId} ${event.state}${event.reason ? `: ${event.reason}` : ''} (${duration(event.seconds)})`,
          );
          break;
      }
    },
    done(): void {
      if (pending > 0) stream.write('\n');
      pending = 0;
    },
  };
}

function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
