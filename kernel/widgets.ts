// The parts pages are made of, accessible by construction: every input named by its <label>'s text
// alone (found by its Chinese label: getByLabel('姓名', { exact: true })), every action a <button> (getByRole('button', { name })), every list of facts a
// table of rows headed by their terms. Pages build forms from these and nothing else.
import { anonymous } from './access.js';
import { mobile, smsCode } from './fields.js';
import { html, type Markup } from './html.js';
import type { RunContext } from './http.js';
import { ACTION_FIELD, type Pages } from './pages.js';
import { z } from './zod.js';

export interface FieldSpec {
  label: string;
  name: string;
  value?: string | undefined;
  type?: 'text' | 'tel' | 'number' | 'date' | 'datetime-local' | 'password';
  placeholder?: string;
  hint?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'tel' | 'text';
  autocomplete?: string;
}

// A control is named by its label alone (aria-label, the label's text): what the label wraps
// besides — a choice's options, a hint — is not part of its name, and no id is needed, so that
// several forms of one page may have fields of the same name and a page renders the same twice.

/** A labelled input; `values[name]` refills it after a refusal. */
export const field = (f: FieldSpec, values: Record<string, string> = {}) =>
  html`<div class="field"><label><span>${f.label}</span><input aria-label="${f.label}" name="${f.name}" type="${f.type ?? 'text'}" value="${values[f.name] ?? f.value ?? ''}"${f.placeholder ? html` placeholder="${f.placeholder}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''} autocomplete="${f.autocomplete ?? 'off'}"${f.required ? html` required` : ''}></label>${f.hint ? html`<small>${f.hint}</small>` : ''}</div>`;

/** A labelled choice of options (value → label). */
export const choice = (f: { label: string; name: string; options: [string, string][]; value?: string | undefined }, values: Record<string, string> = {}) => {
  const chosen = values[f.name] ?? f.value;
  return html`<div class="field"><label><span>${f.label}</span><select aria-label="${f.label}" name="${f.name}">${f.options.map(([value, label]) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${label}</option>`)}</select></label></div>`;
};

/** A submit button running the page's action `action` (Pages.action). */
export const submit = (label: string, action?: string, kind: 'primary' | 'plain' = 'primary') =>
  html`<button type="submit" class="${kind}"${action ? html` name="${ACTION_FIELD}" value="${action}"` : ''}>${label}</button>`;

/** A form posting back to its page; `files`: it carries a file (`fileInput`; the page declares `files`). */
export const form = (content: Markup, attributes: { action?: string; label?: string; files?: boolean } = {}) =>
  html`<form method="post"${attributes.action ? html` action="${attributes.action}"` : ''}${attributes.label ? html` aria-label="${attributes.label}"` : ''}${attributes.files ? html` enctype="multipart/form-data"` : ''}>${content}</form>`;

/**
 * Facts as the apps list them (认证状态 已认证 …): rows of a table, the term as the row's header,
 * so that a value is found by its term (the row whose rowheader is 认证状态, its cell).
 */
export const facts = (rows: [string, Markup][], label?: string) =>
  html`<table class="facts">${label ? html`<caption>${label}</caption>` : ''}<tbody>${rows.map(([term, value]) => html`<tr><th scope="row">${term}</th><td>${value}</td></tr>`)}</tbody></table>`;

/** A table with a caption (its accessible name), header cells and rows. */
export const table = (caption: string, head: string[], rows: Markup[][], empty = '暂无数据') =>
  html`<table><caption>${caption}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${
    rows.length ? rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`) : html`<tr><td colspan="${head.length}">${empty}</td></tr>`
  }</tbody></table>`;

/** Several choices of one name (checkboxes), grouped and named by their legend; `chosen` ticks some. */
export const checks = (f: { legend: string; name: string; options: [string, string][]; chosen?: string[] | undefined }) =>
  html`<fieldset class="checks"><legend>${f.legend}</legend>${f.options.map(
    ([value, label]) => html`<label><input type="checkbox" name="${f.name}" value="${value}"${f.chosen?.includes(value) ? html` checked` : ''}> ${label}</label>`,
  )}</fieldset>`;

/** A dialog shown over the page (a popup the app raises on entering: role dialog, named by its title). */
export const dialog = (title: string, content: Markup) => html`<dialog open class="popup" aria-label="${title}"><h2>${title}</h2>${content}</dialog>`;

/** A labelled checkbox (已阅读, a record picked); checked again after a refusal when the form sent it. */
export const check = (f: { label: string; name: string; value?: string; checked?: boolean }, values: Record<string, string> = {}) =>
  html`<div class="check"><label><input type="checkbox" aria-label="${f.label}" name="${f.name}" value="${f.value ?? 'on'}"${(values[f.name] !== undefined && values[f.name] === (f.value ?? 'on')) || f.checked ? html` checked` : ''}><span>${f.label}</span></label></div>`;

/** A value the form sends back as the page gave it (the version of a record the person saw). */
export const hidden = (name: string, value: string | number) => html`<input type="hidden" name="${name}" value="${value}">`;

/** A labelled file input (the form is made with `files`); `accept`: the types offered, e.g. '.pdf,.jpg,.png'; several files with `multiple`. */
export const fileInput = (f: { label: string; name: string; accept?: string; multiple?: boolean; hint?: string }) =>
  html`<div class="field"><label><span>${f.label}</span><input type="file" aria-label="${f.label}" name="${f.name}"${f.accept ? html` accept="${f.accept}"` : ''}${f.multiple ? html` multiple` : ''}></label>${f.hint ? html`<small>${f.hint}</small>` : ''}</div>`;

/** A search form (role="search", named by `label`): its fields go in the page's query, so a search is a link like any other. */
export const searchForm = (content: Markup, label: string) => html`<form method="get" role="search" aria-label="${label}">${content}</form>`;

/** Paging of a list (`nav` 分页): 共 N 条, the page of pages, and 上一页 / 下一页 as links (`href(page)`). */
export const pager = (at: { total: number; page: number; pageSize: number }, href: (page: number) => string) => {
  const pages = Math.max(1, Math.ceil(at.total / at.pageSize));
  return html`<nav class="pager" aria-label="分页"><p>共 ${at.total} 条，第 ${at.page} / ${pages} 页</p>${at.page > 1 ? html`<a href="${href(at.page - 1)}" rel="prev">上一页</a>` : ''}${
    at.page < pages ? html`<a href="${href(at.page + 1)}" rel="next">下一页</a>` : ''
  }</nav>`;
};

/**
 * The login page by mobile and SMS code (手机号码 → [获取验证码] → 验证码 → [登录]), as every app with
 * one shows it: `send` sends the code (its answer says how long it holds), `logIn` opens a session,
 * kept in the app's cookie; then the browser goes to `next`.
 */
export function smsCodeLogin(
  pages: Pages,
  spec: { path: string; title: string; back?: string; formLabel: string; next: string },
  send: (ctx: RunContext, mobile: string) => Promise<{ validSeconds: number }>,
  logIn: (ctx: RunContext, mobile: string, code: string) => Promise<{ token: string }>,
): void {
  pages
    .page({
      path: spec.path,
      title: spec.title,
      access: anonymous,
      ...(spec.back ? { back: spec.back } : {}),
      view: ({ values }) =>
        html`<section class="card">${form(
          html`<div class="row">${field({ label: '手机号码', name: 'mobile', type: 'tel', inputmode: 'tel', autocomplete: 'tel' }, values)}${submit('获取验证码', 'code', 'plain')}</div>
${field({ label: '验证码', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' }, values)}
${submit('登录', 'login')}`,
          { label: spec.formLabel },
        )}</section>`,
    })
    .action('code', z.object({ mobile }), async ({ form, ctx }) => {
      const sent = await send(ctx, form.mobile);
      return { notice: `验证码已发送，${sent.validSeconds / 60}分钟内有效` };
    })
    .action('login', z.object({ mobile, code: smsCode }), async ({ form, ctx, cookies }) => {
      cookies.keepSession((await logIn(ctx, form.mobile, form.code)).token);
      return spec.next;
    });
}
