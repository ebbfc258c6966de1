// The `bilevel` command line: parses arguments, runs one command, maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { displayText } from '../core/display-text.js';
import { formatError, isBilevelError } from '../core/errors.js';
import { asStateError } from '../storage/database.js';
import { packageVersion } from '../task/package-root.js';
import { registerAblateCommand } from './ablate-command.js';
import { exitCodes } from './exit-codes.js';
import { registerMechanismsCommand } from './mechanisms.js';
import { registerModelCommand } from './model.js';
import { registerReportCommand } from './report-command.js';
import { registerResumeCommand } from './resume-command.js';
import { registerRunCommand } from './run-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerStatusCommand } from './status-command.js';
import { registerTasksCommand } from './tasks-command.js';

export function buildProgram(): Command {
  const program = new Command('bilevel')
    .description('Bilevel autoresearch: an LLM research loop, and an outer loop that improves how it searches.')
    .version(packageVersion(), '--version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRunCommand(program);
  registerResumeCommand(program);
  registerStatusCommand(program);
  registerReportCommand(program);
  registerTasksCommand(program);
  registerMechanismsCommand(program);
  registerModelCommand(program);
  registerAblateCommand(program);
  registerServeCommand(program);
  program.addHelpText(
    'after',
    `
Exit codes: 0 done, 1 run failed, 2 usage or configuration error, 3 stopped by an LLM cap or an LLM outage
past --llm-patience (resumable), 130 interrupted with Ctrl-C (resumable).

Examples:
  bilevel run --task synthetic --proposer random --trials 50
  bilevel status --json
  bilevel resume <run-id>`,
  );
  return program;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreClosedStdout();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.success;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; anything else commander refused is a usage error (already printed).
      return error.exitCode === 0 ? exitCodes.success : exitCodes.usage;
    }
    // A damaged database can surface in any query, not only at open: it is STATE_CORRUPT with what to do.
    const shown = asStateError(error);
    process.stderr.write(`${displayText(formatError(shown))}\n`);
    if (isBilevelError(shown)) return shown.isUserError ? exitCodes.usage : exitCodes.failed;
    return exitCodes.failed;
  }
}

/**
 * A reader that goes away (`bilevel status | head`) is not an error: what is left to print is dropped and the
 * command finishes as it would have (a run goes on to its end rather than dying mid-trial).
 */
function ignoreClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
