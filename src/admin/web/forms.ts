/**
 * Reading the console's HTML forms, and showing the admin API's validation errors next to the
 * fields they name. Forms post `application/x-www-form-urlencoded`; a field may repeat
 * (checkboxes). What was typed is kept as it was typed, so that a refused form comes back as
 * the administrator left it.
 */
import { ApiError } from './api-client.js';

/** The fields of a posted form, each with every value it was given. */
export class FormFields {
  private constructor(private readonly values: ReadonlyMap<string, readonly string[]>) {}

  /** No fields (a GET). */
  static readonly empty = new FormFields(new Map());

  /** The fields of an urlencoded body. */
  static fromParams(params: URLSearchParams): FormFields {
    const values = new Map<string, string[]>();
    for (const [name, value] of params) values.set(name, [...(values.get(name) ?? []), value]);
    return new FormFields(values);
  }

  /** The fields of a plain record (a stored resource shown in its edit form). */
  static fromRecord(record: Readonly<Record<string, string | readonly string[] | undefined>>): FormFields {
    const values = new Map<string, string[]>();
    for (const [name, value] of Object.entries(record)) {
      if (value !== undefined) values.set(name, typeof value === 'string' ? [value] : [...value]);
    }
    return new FormFields(values);
  }

  /** The first value of `name`, as typed; '' when absent. */
  raw(name: string): string {
    return this.values.get(name)?.[0] ?? '';
  }

  /** The value of `name` trimmed, or undefined when empty. */
  text(name: string): string | undefined {
    const value = this.raw(name).trim();
    return value === '' ? undefined : value;
  }

  /** Every value of `name` (checkboxes sharing a name). */
  all(name: string): string[] {
    return [...(this.values.get(name) ?? [])];
  }

  /** Whether a checkbox `name` was ticked. */
  checked(name: string): boolean {
    return this.values.has(name);
  }

  /** The non-empty lines of a textarea, trimmed; undefined when there are none. */
  lines(name: string): string[] | undefined {
    const lines = this.raw(name).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    return lines.length === 0 ? undefined : lines;
  }
}

/** Field name → message, as the forms show them; `form` for what belongs to no one field. */
export type FieldErrors = Readonly<Record<string, string>>;

/**
 * The API's errors by form field: `redirect_uris.2` belongs to the `redirect_uris` field. The
 * first message of each field is kept; errors naming no known field go to `form`.
 */
export function fieldErrorsOf(error: ApiError, fields: readonly string[]): FieldErrors {
  const errors: Record<string, string> = {};
  const named = error.errors.length > 0 ? error.errors : [{ field: error.field ?? leadingField(error.description, fields) ?? 'form', message: error.description }];
  for (const { field, message } of named) {
    const name = field.split('.')[0]!;
    const key = fields.includes(name) ? name : 'form';
    // A message of a field shown beside it needs no field name in front.
    const text = key === 'form' ? (error.errors.length > 0 ? `${field}: ${message}` : message) : message.replace(new RegExp(`^${escapeRegExp(field)}: `), '');
    errors[key] ??= text;
  }
  return errors;
}

/**
 * The field an error's description begins with (`resource must be an absolute URI`,
 * `scope: …`): some validation errors name their field only in words.
 */
function leadingField(description: string, fields: readonly string[]): string | undefined {
  const first = /^([a-z_]+)\b/.exec(description)?.[1];
  return first !== undefined && fields.includes(first) ? first : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
