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
