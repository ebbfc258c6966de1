// The report's Level 2 section: every meta session (what it saw, said and decided) and each injected mechanism's fate.
import type { Database } from '../storage/database.js';
import { listLifecycle, listMetaSessions, type MetaSessionRecord } from '../storage/meta-tables.js';
import { sessionTranscriptPath } from './session-transcript.js';

/** Longest excerpt of a prompt or reply shown inline, in characters (the full text is in the database). */
const excerptLength = 600;

/** Markdown for the run's meta sessions and mechanism lifecycle; '' when the run had none. */
export function renderMetaSessions(database: Database, runId: string): string {
  const sessions = listMetaSessions(database, runId);
  const lifecycle = listLifecycle(database, runId);
  if (sessions.length === 0 && lifecycle.length === 0) return '';
  const lines: string[] = ['## Level 2: meta sessions', ''];
  lines.push('| session | after trial | mode | trigger | outcome | mechanism | detail |');
  lines.push('| --- | ---: | --- | --- | --- | --- | --- |');
  for (const session of sessions) {
    lines.push(
      `| ${session.id} | ${session.afterTrial} | ${session.mode} | ${session.trigger} | ${session.outcome} | ${
        session.mechanism ?? '—'
      } | ${cell(session.detail)} |`,
    );
  }
  if (lifecycle.length > 0) {
    lines.push('', '### Injected mechanisms', '');
    lines.push('| mechanism | origin | session | activated after | retired after | reason |');
    lines.push('| --- | --- | --- | ---: | ---: | --- |');
    for (const entry of lifecycle) {
      lines.push(
        `| ${entry.name} | ${entry.origin} | ${entry.sessionId ?? '—'} | ${entry.activatedAtTrial} | ${
          entry.retiredAtTrial ?? '—'
        } | ${cell(entry.reason ?? probationReason(entry.probation) ?? 'on probation')} |`,
      );
    }
  }
  for (const session of sessions) lines.push('', ...sessionDetail(session));
  return lines.join('\n');
}

function sessionDetail(session: MetaSessionRecord): string[] {
  const diagnosis = session.diagnosis as { symptoms?: string[]; plateauLength?: number; trials?: number };
  const lines = [
    `### Session ${session.id} (after trial ${session.afterTrial}, ${session.mode})`,
    '',
    `Symptoms: ${diagnosis.symptoms?.join(', ') || 'none'}; plateau ${diagnosis.plateauLength ?? '?'} trials; ${
      diagnosis.trials ?? '?'
    } trials read.`,
  ];
  for (const round of session.rounds) {
    lines.push(
      '',
      `- **${round.round}** (prompt ${round.prompt.length} characters, sha256 ${round.promptSha256.slice(0, 12)}): ${
        round.error ? `no usable reply: ${round.error}` : excerpt(JSON.stringify(round.reply))
      }`,
    );
  }
  for (const attempt of session.attempts) {
    const gate = attempt.gate as { ok?: boolean; stageReached?: string; problems?: string[] };
    lines.push(
      `- gate attempt ${attempt.attempt + 1}: ${gate.ok ? 'passed' : `refused at ${gate.stageReached}`}${
        gate.problems?.length ? ` — ${excerpt(gate.problems.join(' | '))}` : ''
      }`,
    );
  }
  lines.push(
    '',
    `Outcome: **${session.outcome}**${session.mechanism ? ` (${session.mechanism})` : ''}: ${session.detail}`,
    '',
    `Everything it saw and said, whole: [${sessionTranscriptPath(session.id)}](${sessionTranscriptPath(session.id)}).`,
  );
  return lines;
}

function probationReason(probation: unknown): string | undefined {
  const evidence = probation as { reason?: string } | null;
  return evidence?.reason;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > excerptLength ? `${flat.slice(0, excerptLength)}…` : flat;
}

function cell(text: string): string {
  return excerpt(text).replaceAll('|', '\\|');
}
