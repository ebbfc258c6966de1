// A meta session's full transcript, for people: every prompt and reply whole, every module source and gate report.
import type { MetaSessionRecord } from '../storage/meta-tables.js';

/** The transcript's file name inside the report folder (ids are ours, but only safe characters reach the disk). */
export function sessionTranscriptPath(sessionId: string): string {
  return `sessions/${sessionId.replace(/[^A-Za-z0-9_-]/g, '_')}.md`;
}

/** Markdown with everything the session saw and said: nothing clipped, each text in a fence it cannot break. */
export function renderSessionTranscript(session: MetaSessionRecord): string {
  const lines = [
    `# Meta session ${session.id} of run ${session.runId}`,
    '',
    `After trial ${session.afterTrial}; mode ${session.mode}; trigger ${session.trigger}; ${session.createdAt}.`,
    '',
    `Outcome: **${session.outcome}**${session.mechanism ? ` (${session.mechanism})` : ''}: ${session.detail}`,
    '',
    '## Diagnosis of the trace',
    '',
    fenced(JSON.stringify(session.diagnosis, null, 2), 'json'),
  ];
  if (session.chosen !== null && session.chosen !== undefined) {
    lines.push('', '## Chosen', '', fenced(JSON.stringify(session.chosen, null, 2), 'json'));
  }
  for (const round of session.rounds) {
    lines.push(
      '',
      `## Round: ${round.round}`,
      '',
      `Prompt (${round.prompt.length} characters, sha256 ${round.promptSha256}):`,
      '',
      fenced(round.prompt, 'text'),
      '',
      round.error === undefined ? 'Reply (validated):' : `No usable reply: ${round.error}`,
    );
    if (round.error === undefined) lines.push('', fenced(JSON.stringify(round.reply, null, 2), 'json'));
  }
  for (const attempt of session.attempts) {
    lines.push(
      '',
      `## Gate attempt ${attempt.attempt + 1}`,
      '',
      `Module source (sha256 ${attempt.sourceSha256}):`,
      '',
      fenced(attempt.source, 'ts'),
      '',
      'Gate report:',
      '',
      fenced(JSON.stringify(attempt.gate, null, 2), 'json'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A code fence one backtick longer than the longest backtick run in `text`, so the text cannot close it. */
export function fenced(text: string, language: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
