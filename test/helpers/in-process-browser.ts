/**
 * A browser against a provider in process: it keeps cookies, follows redirects within the
 * provider when asked — not to the client's redirect URI (`stopAt`) nor to another server — from
 * one address.
 */
import { CookieJar, formAction, hiddenInput } from './browserless.js';
import { ISSUER, type TestProvider } from './index.js';

export interface InProcessBrowser {
  jar: CookieJar;
  /** One GET, not followed. */
  get(url: string): Promise<Response>;
  /** One form POST, not followed. */
  post(url: string, fields: Record<string, string>): Promise<Response>;
  /** Follows `response`'s redirects within the provider: the page, or the redirect to the client. */
  follow(response: Response): Promise<Response>;
  /** A GET, followed. */
  open(url: string): Promise<Response>;
  /** Submits the form of `page` (with its CSRF token) with `fields`, followed. */
  submit(page: string, fields: Record<string, string>): Promise<Response>;
}

export function inProcessBrowser(tp: TestProvider, options: { stopAt: string; remoteAddress?: string }): InProcessBrowser {
  const jar = new CookieJar();
  const info = options.remoteAddress === undefined ? undefined : { remoteAddress: options.remoteAddress };
  const send = async (request: Request) => {
    const response = await tp.provider.fetch(request, info);
    jar.store(response);
    return response;
  };
  const get = (url: string) => send(new Request(url, { headers: { cookie: jar.header() }, redirect: 'manual' }));
  const post = (url: string, fields: Record<string, string>) =>
    send(new Request(url, { method: 'POST', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields), redirect: 'manual' }));
  const follow = async (response: Response): Promise<Response> => {
    let current = response;
    for (let hop = 0; hop < 6; hop += 1) {
      const location = current.headers.get('location');
      if (!location) return current;
      const next = new URL(location, ISSUER);
      // The client's redirect URI, or another server (an upstream provider): not followed.
      if (next.href.startsWith(options.stopAt) || next.origin !== new URL(ISSUER).origin) return current;
      current = await get(next.href);
    }
    throw new Error('too many redirects');
  };
  return {
    jar,
    get,
    post,
    follow,
    open: async (url) => follow(await get(url)),
    submit: async (page, fields) => follow(await post(formAction(page), { csrf_token: hiddenInput(page, 'csrf_token')!, ...fields })),
  };
}
