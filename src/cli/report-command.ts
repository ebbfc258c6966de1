// `bilevel report RUN_ID`: writes the run's report (Markdown, chart as SVG and PNG, best.patch, session transcripts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { displayJson } from '../core/display-text.js';
import { BilevelError } from '../core/errors.js';
import { GitWorkspace } from '../inner/git-workspace.js';
import { runPaths } from '../inner/run-paths.js';
import { writeRunReport } from '../report/run-report.js';
import { databaseFileName, openDatabase, runFolderCount } from '../storage/database.js';
import { getRun } from '../storage/runs-table.js';
import { addStateDirOption, stateDirFrom } from './state-dir.js';

export function registerReportCommand(program: Command): void {
  const command = program
    .command('report')
    .description(
      'write a run report: report.md, convergence.svg, convergence.png, and sessions/<id>.md per meta session',
    )
    .argument('<run-id>', 'the run to report on (any state: running, finished, interrupted, failed)')
    .option('--out <dir>', 'folder to write into (default: <state-dir>/runs/<run-id>/report)')
    .option('--json', 'print the written paths as JSON (one object)');
  addStateDirOption(command);
  command.action(async (runId: string, flags: { stateDir?: string; out?: string; json?: boolean }) => {
    const stateDir = stateDirFrom(flags);
    if (!existsSync(join(stateDir, databaseFileName)) && runFolderCount(stateDir) === 0) {
      throw new BilevelError('RUN_NOT_FOUND', `no runs in ${stateDir}`, {
        hint: 'pass --state-dir where the run was started, or start one with `bilevel run`',
      });
    }
    const database = openDatabase(stateDir);
    try {
      const outDir = flags.out ? resolve(flags.out) : join(runPaths(stateDir, runId).root, 'report');
      const workspace = new GitWorkspace(getRun(database, runId).workDir);
      const written = await writeRunReport(database, runId, outDir, {
        diffCommits: (from, to) => workspace.diffBetween(from, to),
      });
      process.stdout.write(
        flags.json
          ? `${displayJson(written, 2)}\n`
          : `report ${written.markdown}\nchart ${written.svg}\nchart ${written.png}\n${
              written.bestPatch ? `patch ${written.bestPatch}\n` : ''
            }${written.transcripts.map((path) => `session ${path}\n`).join('')}`,
      );
    } finally {
      database.close();
    }
  });
}
