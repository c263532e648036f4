// Server-rendered HTML: a tagged template that escapes every value put into it unless the value is
// markup already (Html), so a page cannot forget to escape what a person typed. Typed by
// TypeScript like any other code; no JSX setting, no build step.
//   html`<p>${name}</p>`            name is escaped
//   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`   arrays are joined
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

/** What a template may hold: markup, text (escaped), numbers, nothing (null, undefined, false), or lists of these. */
export type Markup = Html | string | number | boolean | null | undefined | readonly Markup[];

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const render = (value: Markup): string => {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
};

export function html(strings: TemplateStringsArray, ...values: Markup[]): Html {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += render(values[i]!) + strings[i + 1]!;
  return new Html(text);
}
