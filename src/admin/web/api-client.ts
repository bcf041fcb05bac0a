/**
 * How the admin web UI talks to latchkey: only through the admin API (STYLE.md: "admin/web/
 * talks only to admin/api"), called in process — a Web `Request` handed to the API's `fetch`,
 * no socket — with the console session's Bearer token. What the API answers decides what the
 * page does: 401 → sign in again, 403 → "you are not an administrator", 4xx → the form shows the
 * errors next to its fields.
 */
import type { AdminApi } from '../api/app.js';
import { ADMIN_API_PATH } from '../api/routes.js';

/** One field the API named in a validation error. */
export interface ApiFieldError {
  field: string;
  message: string;
}

/** A client-side error answer of the admin API (`{ error, error_description, field?, errors? }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly field: string | undefined,
    readonly errors: readonly ApiFieldError[],
  ) {
    super(description);
    this.name = 'ApiError';
  }
}

/** The API refused the console's token (expired, revoked, its holder disabled): sign in again. */
export class SignInRequired extends Error {
  override readonly name = 'SignInRequired';
}

/** The token is valid but its holder is not (or no longer) an administrator. */
export class NotAdministrator extends Error {
  override readonly name = 'NotAdministrator';
}

/** The admin API as the pages call it. */
export interface ApiClient {
  /**
   * `GET path?query`; undefined query values are left out.
   * @throws ApiError | SignInRequired | NotAdministrator
   */
  get<T>(path: string, query?: Readonly<Record<string, string | number | undefined>>): Promise<T>;
  /**
   * A change: `method path` with a JSON body; resolves with the answer's body (undefined for 204).
   * @throws ApiError | SignInRequired | NotAdministrator
   */
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/**
 * A path of the admin API with each interpolated value percent-encoded:
 * ``apiPath`/clients/${id}/secret` `` → `/clients/a%2Fb/secret`.
 */
export function apiPath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((path, part, i) => path + part + (i < values.length ? encodeURIComponent(values[i]!) : ''), '');
}

/** An API client for one request of the console, acting with `accessToken`. */
export function createApiClient(api: AdminApi, issuer: string, accessToken: string): ApiClient {
  const base = `${issuer}${ADMIN_API_PATH}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${accessToken}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await api.call(new Request(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (response.ok) return parsed as T;
    if (response.status === 401) throw new SignInRequired();
    if (response.status === 403) throw new NotAdministrator();
    const error = (parsed ?? {}) as { error?: string; error_description?: string; field?: string; errors?: ApiFieldError[] };
    throw new ApiError(response.status, error.error ?? 'server_error', error.error_description ?? `the admin API answered ${response.status}`, error.field, error.errors ?? []);
  };
  return {
    get: (path, query = {}) => {
      const search = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '').map(([name, value]) => [name, String(value)]));
      const encoded = search.toString();
      const suffix = encoded === '' ? '' : `?${encoded}`;
      return call('GET', `${path}${suffix}`);
    },
    send: (method, path, body) => call(method, path, body),
  };
}
