import { describe, expect, test } from 'vitest';
import { displayJson, displayLine, displayText } from './display-text.js';

describe('displayText / displayLine / displayJson: untrusted text made safe to show', () => {
  test('control, escape and bidi characters are shown as escapes; text, tabs, newlines and emoji are kept', () => {
    const hostile =
      'ok\u0000 \u001b[31mred\u001b[0m \u0007bell\b \u009b2J \u202Eevil\u202C \u2066x\u2069 \u200F é 🚀\tend\nnext';
    expect(displayText(hostile)).toBe(
      'ok\\x00 \\x1B[31mred\\x1B[0m \\x07bell\\x08 \\x9B2J \\u202Eevil\\u202C \\u2066x\\u2069 \\u200F é 🚀\tend\nnext',
    );
    expect(displayText('a\r\nb\rc\u2028d')).toBe('a\nb\nc\nd');
    expect(displayText('lone \uD800 and \uDC00 halves')).toBe('lone \\uD800 and \\uDC00 halves');
  });

  test('a line has no line break, tab or control left, and is cut without splitting a surrogate pair', () => {
    expect(displayLine('  summary\twith\n\nbreaks\u0000 ')).toBe('summary with breaks\\x00');
    expect(displayLine('abcdef', 4)).toBe('abc…');
    expect(displayLine('ab🚀cd', 4)).toBe('ab…');
    expect(displayLine('x'.repeat(10_000), 300)).toHaveLength(300);
  });

  test('JSON keeps the exact value (it parses back to the raw text) but shows nothing a terminal acts on', () => {
    const value = { summary: 'a\u0000b\u001b[2J\u009bc\u202Ed\u2028e' };
    const json = displayJson(value, 2);
    expect(JSON.parse(json)).toEqual(value);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is about control characters
    expect(json).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2028]/);
  });
});
