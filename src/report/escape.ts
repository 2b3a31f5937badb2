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
 * Free text as inert Markdown: it renders as the same characters in a heading, a paragraph, a
 * table cell, an emphasised caption or an image's alt text. HTML tags, links and images,
 * emphasis, code spans, table pipes and line breaks lose their meaning; `&`, `<`, `>` and line
 * breaks become character references, other metacharacters get a backslash. At the start
 * (where the text may begin a line) list markers, `=` and indentation are neutralised too.
 */
export function escapeMarkdown(s: string): string {
  const inline = s
    .replace(MD_PUNCTUATION, (c) => `\\${c}`)
    .replace(/[&<>\n\r]/g, (c) => MD_ENTITY[c]!);
  return inline
    .replace(/^[ \t]+/, (ws) => ws.replace(/ /g, '&#32;').replace(/\t/g, '&#9;'))
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.');
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
