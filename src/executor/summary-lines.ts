// Reads `key: value` summary lines (Karpathy's grep-able block) from a program's stdout as it arrives, in bounded memory.
import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is not a summary line; it is skipped up to its end. */
const maxLineChars = 64 * 1024;
/** At most this many distinct keys are kept (the first seen); later values of a kept key still replace it. */
const maxKeys = 256;
/** A value is kept up to this many characters. */
const maxValueChars = 256;

/** `name: value` at the very start of a line; the name as a metric name is written (`val_bpb`, `eval.loss`). */
const summaryLine = /^([A-Za-z_][A-Za-z0-9_.]*):[ \t]*(.*)$/;

/**
 * Feed it stdout chunk by chunk; `values()` gives the LAST value of every `key: value` line seen, so a metric
 * printed after 50 MB of output is read like one printed first. Memory stays bounded whatever the program prints.
 */
export class SummaryLines {
  private readonly decoder = new StringDecoder('utf8');
  private readonly lines = new Map<string, string>();
  private pending = '';
  private skippingLongLine = false;

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.completeLine(text.slice(start, newline));
      start = newline + 1;
    }
    this.addPartial(text.slice(start));
  }

  /** Call once the stream ended: a last line without a newline still counts. */
  end(): void {
    this.addPartial(this.decoder.end());
    if (this.pending !== '' && !this.skippingLongLine) this.take(this.pending);
    this.pending = '';
    this.skippingLongLine = false;
  }

  /** Key → the last value printed for it (trimmed). */
  values(): Record<string, string> {
    return Object.fromEntries(this.lines);
  }

  private addPartial(text: string): void {
    if (this.skippingLongLine || text === '') return;
    this.pending += text;
    if (this.pending.length > maxLineChars) {
      this.pending = '';
      this.skippingLongLine = true;
    }
  }

  private completeLine(tail: string): void {
    const line = this.pending + tail;
    const skipped = this.skippingLongLine || line.length > maxLineChars;
    this.pending = '';
    this.skippingLongLine = false;
    if (!skipped) this.take(line);
  }

  private take(rawLine: string): void {
    const match = summaryLine.exec(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine);
    if (!match) return;
    const [, key, value] = match as unknown as [string, string, string];
    if (!this.lines.has(key) && this.lines.size >= maxKeys) return;
    this.lines.set(key, value.trim().slice(0, maxValueChars));
  }
}

/** The summary lines of a whole text (e.g. a metrics file a program wrote). */
export function readSummaryLines(text: string): Record<string, string> {
  const reader = new SummaryLines();
  reader.push(text);
  reader.end();
  return reader.values();
}
