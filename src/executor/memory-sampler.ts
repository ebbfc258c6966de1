// Samples the resident memory of a process group from /proc (Linux); elsewhere reports nothing.
import { readdirSync, readFileSync } from 'node:fs';

/** Sum of resident set sizes (MiB) of all processes in the group, or null when /proc is unavailable. */
export function sampleGroupRssMb(processGroupId: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  let totalKb = 0;
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid pgrp …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== processGroupId) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (match) totalKb += Number(match[1]);
    } catch {
      // The process ended between listing and reading: it no longer counts.
    }
  }
  return totalKb / 1024;
}
