/**
 * The pieces the console's pages are built of: form fields that show their error beside them
 * (with `aria-invalid` and `aria-describedby`), buttons that POST with the CSRF token, a search
 * box, a pager, and small badges.
 */
import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from '../../console/csrf.js';
import type { FieldErrors } from './forms.js';

/** The hidden CSRF field every form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** A one-button form: an action on a resource (disable, revoke, end …). */
export function PostButton(props: { action: string; csrfToken: string; label: string; kind?: 'primary' | 'secondary' | 'danger' | 'link'; returnTo?: string; hidden?: Readonly<Record<string, string>>; describedBy?: string }) {
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      {props.returnTo === undefined ? null : <input type="hidden" name="return_to" value={props.returnTo} />}
      {Object.entries(props.hidden ?? {}).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
      <button type="submit" class={props.kind === 'primary' || props.kind === undefined ? undefined : props.kind} aria-describedby={props.describedBy}>{props.label}</button>
    </form>
  );
}

/** The error of field `name`, if any, under the id its input points to. */
function FieldError(props: { name: string; errors: FieldErrors }) {
  const message = props.errors[props.name];
  return message === undefined ? null : <p class="field-error" id={`${props.name}-error`}>{message}</p>;
}

function errorProps(name: string, errors: FieldErrors) {
  return errors[name] === undefined ? {} : { 'aria-invalid': 'true', 'aria-describedby': `${name}-error` };
}

/** A labelled input. */
export function TextField(props: { name: string; label: string; value: string; errors: FieldErrors; type?: string; hint?: string; required?: boolean; autocomplete?: string; placeholder?: string }) {
  return (
    <div>
      <label for={props.name}>
        {props.label}
        {props.hint === undefined ? null : <span class="hint">{props.hint}</span>}
      </label>
      <input type={props.type ?? 'text'} id={props.name} name={props.name} value={props.value} required={props.required} autocomplete={props.autocomplete ?? 'off'} placeholder={props.placeholder} {...errorProps(props.name, props.errors)} />
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

/** A labelled textarea (one item per line, or JSON). */
export function TextArea(props: { name: string; label: string; value: string; errors: FieldErrors; hint?: string; rows?: number }) {
  return (
    <div>
      <label for={props.name}>
        {props.label}
        {props.hint === undefined ? null : <span class="hint">{props.hint}</span>}
      </label>
      <textarea id={props.name} name={props.name} rows={props.rows ?? 3} spellcheck={false} {...errorProps(props.name, props.errors)}>{props.value}</textarea>
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

/** A labelled select; `''` is the "(default)" choice when `defaultLabel` is given. */
export function SelectField(props: { name: string; label: string; value: string; options: readonly string[]; errors: FieldErrors; defaultLabel?: string; hint?: string }) {
  return (
    <div>
      <label for={props.name}>
        {props.label}
        {props.hint === undefined ? null : <span class="hint">{props.hint}</span>}
      </label>
      <select id={props.name} name={props.name} {...errorProps(props.name, props.errors)}>
        {props.defaultLabel === undefined ? null : <option value="" selected={props.value === ''}>{props.defaultLabel}</option>}
        {props.options.map((option) => <option value={option} selected={option === props.value}>{option}</option>)}
      </select>
      <FieldError name={props.name} errors={props.errors} />
    </div>
  );
}

/** A group of checkboxes sharing one name (a list field such as `grant_types`). */
export function CheckboxGroup(props: { name: string; legend: string; options: readonly string[]; checked: readonly string[]; errors: FieldErrors; hint?: string }) {
  return (
    <fieldset {...errorProps(props.name, props.errors)}>
      <legend>{props.legend}</legend>
      {props.hint === undefined ? null : <p class="hint">{props.hint}</p>}
      {props.options.map((option, i) => (
        <label class="check" for={`${props.name}-${i}`}>
          <input type="checkbox" id={`${props.name}-${i}`} name={props.name} value={option} checked={props.checked.includes(option)} />
          <code>{option}</code>
        </label>
      ))}
      <FieldError name={props.name} errors={props.errors} />
    </fieldset>
  );
}

/** One checkbox. */
export function Checkbox(props: { name: string; label: string; checked: boolean; errors?: FieldErrors; hint?: string }) {
  return (
    <div>
      <label class="check" for={props.name}>
        <input type="checkbox" id={props.name} name={props.name} value="true" checked={props.checked} />
        {props.label}
      </label>
      {props.hint === undefined ? null : <span class="hint">{props.hint}</span>}
      {props.errors === undefined ? null : <FieldError name={props.name} errors={props.errors} />}
    </div>
  );
}

/** The form-level error: what belongs to no single field. */
export function FormError(props: { errors: FieldErrors }) {
  const count = Object.keys(props.errors).length;
  if (count === 0) return null;
  return (
    <div class="alert" role="alert">
      {props.errors.form ?? `The form has ${count === 1 ? 'an error' : `${count} errors`}; see the field${count === 1 ? '' : 's'} below.`}
    </div>
  );
}

/** A GET form that filters a list; `fields` are its inputs. */
export function FilterForm(props: { action: string; children?: Child; label?: string }) {
  return (
    <form method="get" action={props.action} class="toolbar" role="search">
      {props.children}
      <button type="submit" class="secondary">{props.label ?? 'Search'}</button>
    </form>
  );
}

/** A small labelled input of a filter form. */
export function FilterInput(props: { name: string; label: string; value: string; type?: string; placeholder?: string }) {
  return (
    <div>
      <label for={`filter-${props.name}`}>{props.label}</label>
      <input type={props.type ?? 'search'} id={`filter-${props.name}`} name={props.name} value={props.value} placeholder={props.placeholder} />
    </div>
  );
}

/**
 * Links to the first and the next page. The admin API pages by cursor, which goes forward only;
 * "First page" starts over with the same filters.
 */
export function Pager(props: { url: URL; nextCursor: string | undefined }) {
  const first = new URL(props.url);
  first.searchParams.delete('cursor');
  first.searchParams.delete('notice');
  const next = new URL(first);
  if (props.nextCursor !== undefined) next.searchParams.set('cursor', props.nextCursor);
  const isFirst = !props.url.searchParams.has('cursor');
  if (isFirst && props.nextCursor === undefined) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {isFirst ? null : <a href={`${first.pathname}${first.search}`}>First page</a>}
      {props.nextCursor === undefined ? null : <a href={`${next.pathname}${next.search}`} rel="next">Next page</a>}
    </nav>
  );
}

/** A state badge. */
export function Badge(props: { kind: string; children?: Child }) {
  return <span class={`badge ${props.kind}`}>{props.children}</span>;
}

/** A time in epoch seconds, readable, with the exact value for machines. */
export function Time(props: { at: number }) {
  const iso = new Date(props.at * 1000).toISOString();
  return <time datetime={iso}>{iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>;
}

/** An empty list's row. */
export function EmptyRow(props: { columns: number; children?: Child }) {
  return (
    <tr>
      <td colspan={props.columns} class="muted">{props.children}</td>
    </tr>
  );
}
