// Server-rendered pages as plain strings: every interpolated value is escaped unless it is
// already `Html` (built by `markup` itself), so a ticket subject can never become markup.

/** Markup that is safe to embed as is. Must only be built by {@link markup} or {@link raw}. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template: escapes every value, keeps nested `markup` fragments and arrays of them. */
export function markup(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => (out += render(value) + (strings[i + 1] ?? '')));
  return new Html(out);
}

/** Trusted markup, for the few fragments built by this example's own code. */
export const raw = (markup: string): Html => new Html(markup);

/** Text with its http(s) links made clickable (the dev mail page), everything else escaped. */
export function linkify(text: string): Html {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return new Html(
    parts
      .map((part, i) => (i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part)))
      .join(''),
  );
}

/** Formats epoch ms for a page (UTC, minutes): the example has no user time zone. */
export const when = (at: number | null | undefined): string =>
  at ? `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';

const style = `
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
nav{display:flex;gap:1rem;flex-wrap:wrap;border-bottom:1px solid #ddd;padding-bottom:.5rem;margin-bottom:1rem}
label{display:block;margin:.6rem 0 .2rem;font-weight:600} input,textarea,select{font:inherit;width:100%;padding:.35rem;box-sizing:border-box}
input[type=checkbox]{width:auto} button{font:inherit;margin-top:.8rem;padding:.4rem 1rem;cursor:pointer}
.error{background:#fde8e8;border:1px solid #e0a0a0;padding:.5rem .8rem} .note{background:#eef6ee;border:1px solid #a6cfa6;padding:.5rem .8rem}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #eee;padding:.3rem;text-align:left;vertical-align:top}
.message{border:1px solid #ddd;border-radius:4px;padding:.5rem .8rem;margin:.6rem 0} .message .text{white-space:pre-wrap} .meta{color:#666;font-size:.85em}
.message.internal{background:#fff8e1;border-style:dashed}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}`;

/** A whole page: title, navigation, body. */
export function page(title: string, body: Html, nav: Html = markup``): string {
  return `<!doctype html>${markup`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${title} · helpdesk-core example</title>
      <style>
        ${raw(style)}
      </style>
    </head>
    <body>
      <nav><a href="/">Home</a>${nav}<a href="/dev/mail">Dev mail</a><a href="/dev/sms">Dev SMS</a></nav>
      <h1>${title}</h1>
      ${body}
    </body>
  </html>`}`;
}

/** A message box for an error code or a notice. */
export const notice = (kind: 'error' | 'note', text: string | null | undefined): Html =>
  text ? markup`<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</p>` : markup``;

/** A table of `rows` under `headings`, or the `empty` sentence when there are none. */
export const table = (headings: readonly string[], rows: readonly Html[], empty: string): Html =>
  rows.length
    ? markup`<table>
        <thead>
          <tr>
            ${headings.map((heading) => markup`<th>${heading}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>`
    : markup`<p>${empty}</p>`;
