// Progress display: one updating line on a terminal, one plain line per trial otherwise (logs, CI, pipes).

import { displayLine } from '../core/display-text.js';
import type { ProgressEvent } from '../inner/run-session.js';
import type { TrialRecord } from '../records/trial-record.js';

export function createProgressPrinter(stream: NodeJS.WriteStream, options: { quiet?: boolean } = {}) {
  const interactive = stream.isTTY === true && !options.quiet;
  let lastLineLength = 0;
  /** When each trial in flight started (several at once with more than one worker). */
  const started = new Map<number, number>();
  /** Most trials seen in flight at once: trials finish that many times faster than one at a time. */
  let concurrency = 1;
  /** Wall time of each finished trial (ms), for the estimate of time left. */
  const durations: number[] = [];
  const eta = (index: number, total: number): string => {
    const recent = durations.slice(-10);
    if (recent.length === 0) return '';
    const mean = recent.reduce((sum, value) => sum + value, 0) / recent.length;
    return `(~${clock(((total - index + 1) * mean) / concurrency)} left)`;
  };
  const write = (text: string): void => {
    if (options.quiet) return;
    // Every line may carry model or task text: shown escaped, never acted on by the terminal.
    const line = displayLine(text);
    if (interactive) {
      stream.write(`\r${line.padEnd(lastLineLength)}`);
      lastLineLength = line.length;
    } else {
      stream.write(`${line}\n`);
    }
  };
  const finishLine = (): void => {
    if (interactive && lastLineLength > 0) stream.write('\n');
    lastLineLength = 0;
  };
  return {
    onProgress(event: ProgressEvent): void {
      switch (event.type) {
        case 'trial-start': {
          started.set(event.index, Date.now());
          concurrency = Math.max(concurrency, started.size);
          const others = started.size > 1 ? `, ${started.size} in flight` : '';
          if (interactive)
            write(`trial ${event.index}/${event.total} running${others}… ${eta(event.index, event.total)}`);
          break;
        }
        case 'trial-end': {
          const begun = started.get(event.trial.index);
          started.delete(event.trial.index);
          if (begun !== undefined) durations.push(Date.now() - begun);
          write(trialLine(event.trial, event.total, event.best));
          if (interactive && (event.trial.status === 'keep' || event.trial.index === 0)) finishLine();
          break;
        }
        case 'settings':
          finishLine();
          write(`level 1.5 cycle ${event.cycle}: ${event.changes.length ? event.changes.join('; ') : 'no change'}`);
          finishLine();
          break;
        case 'note':
          finishLine();
          write(event.message);
          finishLine();
          break;
      }
    },
    done: finishLine,
  };
}

function trialLine(trial: TrialRecord, total: number, best: TrialRecord | null): string {
  const metric = trial.metric === null ? '—' : trial.metric.toFixed(6);
  const bestText = best?.metric != null ? `best ${best.metric.toFixed(6)} (#${best.index})` : 'best —';
  const detail =
    trial.status === 'keep' || trial.status === 'discard' ? trial.summary : `${trial.summary}: ${trial.reason}`;
  return `trial ${String(trial.index).padStart(String(total).length)}/${total}  ${trial.status.padEnd(8)} ${metric.padEnd(9)} ${bestText}  ${truncate(detail, 90)}`;
}

function truncate(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function clock(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
