/**
 * Escaping for the report's formats. Free text from input files (organization, scenario,
 * target and price files) goes through one of these before it reaches report.html or
 * report.md; our own markup never does. See docs/security.md.
 */

/** Text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

// Markdown punctuation that can start or end emphasis, code, links, images, tables, headings,
// math, strikethrough or attribute lists anywhere in a line: backslash-escaped.
const MD_PUNCTUATION = /[\\`*_[\]()!|~#{}$]/g;
// HTML and line breaks as character references: no tag, autolink or block can start from them,
// also in viewers that do not honour a backslash before `<`.
const MD_ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Free text as inert Markdown inside a line: it renders as the same characters in a paragraph
 * after other text, a table cell (GFM cells hold inline content only), an emphasised caption or
 * an image's alt text. HTML tags, links and images, emphasis, code spans, table pipes and line
 * breaks lose their meaning; `&`, `<`, `>` and line breaks become character references, other
 * metacharacters get a backslash.
 */
export function escapeMarkdownInline(s: string): string {
  return s.replace(MD_PUNCTUATION, (c) => `\\${c}`).replace(/[&<>\n\r]/g, (c) => MD_ENTITY[c]!);
}

/**
 * Free text as inert Markdown anywhere, also where it may begin a line (a heading, the start of
 * a paragraph): as `escapeMarkdownInline`, and list markers, `=` and indentation at its start are
 * neutralised too.
 */
export function escapeMarkdown(s: string): string {
  return escapeMarkdownInline(s)
    .replace(/^[ \t]+/, (ws) => ws.replace(/ /g, '&#32;').replace(/\t/g, '&#9;'))
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.');
}

/**
 * Free text spliced into Markdown after `before` (what is already written): inline escaping once
 * the current line holds a letter — a block can only begin before any text on its line —
 * otherwise the full escaping (the line so far may be empty, indentation or list and quote
 * markers).
 */
export function escapeMarkdownAfter(before: string, s: string): string {
  const line = before.slice(before.lastIndexOf('\n') + 1);
  return /\p{L}/u.test(line) ? escapeMarkdownInline(s) : escapeMarkdown(s);
}

// Characters that could end a <script> element, open an HTML comment or end a JavaScript line
// inside a string: as JSON \u escapes, which every JSON and JavaScript parser reads back unchanged.
const SCRIPT_JSON: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * A value as JSON text that is inert inside an HTML <script> element (`</script>`, `<!--`,
 * `]]>` and U+2028/U+2029 cannot appear in it): JSON.parse of the element's text gives the
 * value back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_JSON[c]!);
}
