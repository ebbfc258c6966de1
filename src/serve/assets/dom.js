// Building the page from data: every text goes in as a text node (never parsed as HTML), attributes are set one by
// one from a fixed list of safe names, and links only ever point at this server's own paths.

/** @typedef {string | number | Node | null | undefined | false} Child */
/** @typedef {Child | Child[] | Child[][]} Children */

const safeAttributes = new Set(['class', 'id', 'title', 'colspan', 'download', 'role', 'aria-label', 'data-index']);

/**
 * An element with attributes and children; strings and numbers become text nodes.
 * @template {keyof HTMLElementTagNameMap} Tag
 * @param {Tag} tag
 * @param {Record<string, string | number | boolean | undefined>} [attributes]
 * @param {...Children} children
 * @returns {HTMLElementTagNameMap[Tag]}
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'href') {
      element.setAttribute('href', localHref(String(value)));
    } else if (safeAttributes.has(name)) {
      element.setAttribute(name, value === true ? '' : String(value));
    } else {
      throw new Error(`attribute ${name} is not on the safe list`);
    }
  }
  append(element, children);
  return element;
}

/**
 * Appends children (nested arrays flattened) as nodes; text stays text.
 * @param {Node} parent
 * @param {Children[]} children
 */
export function append(parent, children) {
  for (const child of children.flat(2)) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/**
 * Replaces everything inside `parent`.
 * @param {Node} parent
 * @param {...Children} children
 */
export function replace(parent, ...children) {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

/**
 * A path on this server, or `#` for anything else (a stored text can never become a link elsewhere).
 * @param {string} href
 */
export function localHref(href) {
  return /^\/(?!\/)[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/.test(href) ? href : '#';
}

/**
 * A path segment from an id (run ids, session ids), encoded.
 * @param {string} text
 */
export function segment(text) {
  return encodeURIComponent(text);
}

/**
 * A table from a header row and body rows.
 * @param {string[]} header
 * @param {Children[][]} rows
 * @param {string} [className]
 */
export function table(header, rows, className) {
  return el(
    'table',
    { class: className },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        header.map((name) => el('th', {}, name)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((cells) =>
        el(
          'tr',
          {},
          cells.map((cell) => el('td', {}, cell)),
        ),
      ),
    ),
  );
}

/**
 * A `<pre>` holding text as text.
 * @param {string} text
 * @param {string} [className]
 */
export function pre(text, className) {
  return el('pre', { class: className }, text);
}

/**
 * A definition list from label/value pairs (pairs with an undefined value are left out).
 * @param {[string, Child | Child[]][]} pairs
 */
export function facts(pairs) {
  return el(
    'dl',
    { class: 'facts' },
    pairs
      .filter(([, value]) => value !== undefined)
      .map(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]),
  );
}
