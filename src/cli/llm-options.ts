// LLM options shared by `run` and `ablate`: the price table and the patience through an outage.
import type { Command } from 'commander';

export function addLlmSettingsOptions(command: Command): Command {
  return command
    .option(
      '--prices <file>',
      'JSON prices (USD per million tokens) for models the built-in table lacks, e.g. {"openai-compatible:m": {"input": 0.5, "output": 1.5}}',
    )
    .option(
      '--llm-patience <seconds>',
      'how long a failing LLM call (429, 5xx, network, timeout) is retried before a run stops, resumable (default 900)',
    );
}
