// The state dir option shared by commands: where the database and run folders live.
import { resolve } from 'node:path';
import type { Command } from 'commander';

export const defaultStateDir = '.bilevel';

export function addStateDirOption(command: Command): Command {
  return command.option('--state-dir <dir>', 'where runs are stored (database and run folders)', defaultStateDir);
}

export function stateDirFrom(options: { stateDir?: string }): string {
  return resolve(options.stateDir ?? defaultStateDir);
}
