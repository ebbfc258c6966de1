// A strict well-formedness check for the XML our charts write (no XML library needed), shared by chart tests.

/**
 * A strict well-formedness check for the XML the chart uses: one root, balanced tags, double-quoted
 * unique attributes, no bare `<` or `&`. Returns the problems found (none for a well-formed file).
 */
export function xmlProblems(xml: string, options: { requireDeclaration?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (options.requireDeclaration !== false && !xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'))
    problems.push('no XML declaration');
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token =
    /<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack: string[] = [];
  let roots = 0;
  let end = 0;
  for (let match = token.exec(body); match !== null; match = token.exec(body)) {
    end = token.lastIndex;
    const [, closing, opening, attributes, selfClosing, text, stray] = match;
    if (stray !== undefined) problems.push(`bare < at ${match.index}`);
    else if (text !== undefined) {
      if (entity.test(text)) problems.push(`bare & in text at ${match.index}`);
      if (stack.length === 0 && text.trim() !== '') problems.push('text outside the root element');
    } else if (closing !== undefined) {
      const open = stack.pop();
      if (open !== closing) problems.push(`</${closing}> closes <${open}>`);
    } else if (opening !== undefined) {
      if (stack.length === 0) roots += 1;
      const names = [...(attributes ?? '').matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)].map((pair) => {
        if (entity.test(pair[2]!)) problems.push(`bare & in attribute ${pair[1]}`);
        return pair[1]!;
      });
      if (new Set(names).size !== names.length) problems.push(`duplicate attribute on <${opening}>`);
      if (selfClosing !== '/') stack.push(opening);
    }
    if (end === body.length) break;
  }
  if (end !== body.length) problems.push(`unparsed input at ${end}`);
  if (stack.length > 0) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
