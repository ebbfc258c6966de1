// The run settings table as commander options: `run`, `resume` and `ablate` add theirs from it, and read them back.
import { type Command, Option } from 'commander';
import { allSettings, type SettingCommand, settingDefault } from '../records/run-settings.js';
import type { RunSettingValues } from '../run/run-options.js';

/** Adds every setting the command takes, with its parser, default and help (the default shown as --help says it). */
export function addRunSettingOptions(command: Command, name: SettingCommand): Command {
  for (const { row } of allSettings()) {
    if (!row.flag || !row.commands?.includes(name)) continue;
    const option = new Option(row.flag, row.help ?? '');
    if (row.parse) option.argParser(row.parse as (value: string, previous: unknown) => unknown);
    // `resume` changes a stored run: a flag it is not given must leave the stored value alone.
    const fixed = name === 'resume' ? undefined : settingDefault(row, name);
    if (row.requiredIn?.includes(name)) {
      option.makeOptionMandatory();
      option.description += ' (required)';
    } else if (name !== 'resume' && row.defaultHelp !== undefined) {
      option.description += ` (default: ${row.defaultHelp})`;
    } else if (fixed !== undefined && !isEmpty(fixed)) {
      option.default(fixed);
    }
    command.addOption(option);
  }
  return command;
}

/** An empty list or record: shown as no default at all. */
function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** The settings the command was given (or defaulted), keyed as in the run config. */
export function readRunSettings(command: Command, name: SettingCommand): RunSettingValues {
  const options = command.opts();
  const values: Record<string, unknown> = {};
  const llm: Record<string, unknown> = {};
  for (const { path, row } of allSettings()) {
    if (!row.flag || !row.commands?.includes(name)) continue;
    const value = options[new Option(row.flag).attributeName()];
    if (value === undefined) continue;
    if (path.length === 1) values[path[0]] = value;
    else llm[path[1]] = value;
  }
  return { ...values, ...(Object.keys(llm).length > 0 ? { llm } : {}) } as RunSettingValues;
}
