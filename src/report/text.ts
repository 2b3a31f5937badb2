/**
 * Report text: our own wording with free text from the input files spliced in. Renderers
 * escape the free parts for their format and keep the wording as written, so `(FY2030)` in
 * our sentence stays readable in report.md while a scenario name cannot become a link.
 */

/** Wording from a template literal in our source, with the values spliced into it. */
export interface Prose {
  readonly wording: readonly string[];
  readonly values: ReadonlyArray<string | number>;
}

/** A plain string is all free text: every character of it is escaped. */
export type Text = string | Prose;

/**
 * Tag a template literal: its literal parts are trusted wording, its `${…}` values free text
 * (numbers are ours and stay as they are).
 */
export function prose(wording: TemplateStringsArray, ...values: Array<string | number>): Prose {
  return { wording: [...wording], values };
}

/** Several pieces as one, e.g. a sentence built over several lines. */
export function concat(...parts: Text[]): Prose {
  const wording: string[] = [''];
  const values: Array<string | number> = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      values.push(part);
      wording.push('');
      continue;
    }
    wording[wording.length - 1] += part.wording[0]!;
    part.values.forEach((v, i) => {
      values.push(v);
      wording.push(part.wording[i + 1]!);
    });
  }
  return { wording, values };
}

/** The text with each free string passed through `escape` (numbers and wording as they are). */
export function renderText(t: Text, escape: (free: string, before: string) => string): string {
  if (typeof t === 'string') return escape(t, '');
  let out = t.wording[0]!;
  t.values.forEach((v, i) => {
    out += (typeof v === 'number' ? String(v) : escape(v, out)) + t.wording[i + 1]!;
  });
  return out;
}

/** The text as it reads, unescaped (for a terminal or a chart title). */
export const plainText = (t: Text): string => renderText(t, (s) => s);
