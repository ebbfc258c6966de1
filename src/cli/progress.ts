// Progress display: one updating line on a terminal, one plain line per trial otherwise (logs, CI, pipes).
import type { ProgressEvent } from '../inner/run-session.js';
import type { StoredTrial } from '../storage/trials-table.js';

export function createProgressPrinter(stream: NodeJS.WriteStream, options: { quiet?: boolean } = {}) {
  const interactive = stream.isTTY === true && !options.quiet;
  const started = Date.now();
  let lastLineLength = 0;
  const write = (line: string): void => {
    if (options.quiet) return;
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
        case 'trial-start':
          if (interactive) write(`trial ${event.index}/${event.total} running… ${elapsed(started)}`);
          break;
        case 'trial-end':
          write(trialLine(event.trial, event.total, event.best));
          if (interactive && (event.trial.status === 'keep' || event.trial.index === 0)) finishLine();
          break;
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

function trialLine(trial: StoredTrial, total: number, best: StoredTrial | null): string {
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

function elapsed(started: number): string {
  const seconds = Math.round((Date.now() - started) / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
