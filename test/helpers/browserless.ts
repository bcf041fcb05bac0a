/**
 * Drives the login and consent pages without a browser, the way automation does: follow the
 * redirects, read the CSRF token from the form, POST the form. Works against any `fetch`
 * (in-process `provider.fetch`, or the global fetch against a real listener).
 */

type Fetch = (request: Request) => Promise<Response>;

/** A minimal cookie jar: name → value, from Set-Cookie headers (paths are ignored). */
export class CookieJar {
  readonly values = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.values.delete(name);
      else this.values.set(name, value);
    }
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Where a flow ended. */
export interface FlowResult {
  /** The final response: a redirect to the client, a form_post page, or a page of the OP. */
  response: Response;
  /** The client redirect URL when the flow ended in a redirect to the client. */
  redirect?: URL;
  /** Pages seen on the way, by kind. */
  pages: ('device' | 'login' | 'otp' | 'consent')[];
}

/** The value of a hidden input in an HTML page. */
export function hiddenInput(html: string, name: string): string | undefined {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html);
  return match ? /value="([^"]*)"/.exec(match[0])?.[1] : undefined;
}

/** The action URL of the page's first form (HTML entities of & decoded). */
export function formAction(html: string): string {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the page');
  return action.replace(/&amp;/g, '&');
}

/**
 * Starts at `authorizeUrl` (or the device page) and answers each page: the device page with
 * `userCode`, the login page with `credentials`, the code page with `oneTimeCode`, the consent page with `decision`. Stops at the first response that is neither a redirect within
 * the OP (other than to the client's redirect URI) nor one of its pages.
 */
export async function runBrowserlessFlow(
  fetch: Fetch,
  authorizeUrl: string,
  options: {
    credentials?: { username: string; password: string };
    /** The code of the account's authenticator, asked when the code page shows (two-step verification). */
    oneTimeCode?: () => string;
    decision?: 'allow' | 'deny';
    userCode?: string;
    jar?: CookieJar;
    maxSteps?: number;
  },
): Promise<FlowResult> {
  const jar = options.jar ?? new CookieJar();
  const issuerOrigin = new URL(authorizeUrl).origin;
  // The client's redirect URI may be on the OP's own origin (the admin console's is).
  const clientRedirect = new URL(authorizeUrl).searchParams.get('redirect_uri');
  const pages: FlowResult['pages'] = [];
  let request = new Request(authorizeUrl, { headers: { cookie: jar.header() }, redirect: 'manual' });
  for (let step = 0; step < (options.maxSteps ?? 10); step += 1) {
    const response = await fetch(request);
    jar.store(response);
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, request.url);
      if (next.origin !== issuerOrigin || next.href.split(/[?#]/)[0] === clientRedirect) return { response, redirect: next, pages };
      request = new Request(next, { headers: { cookie: jar.header() }, redirect: 'manual' });
      continue;
    }
    const body = response.headers.get('content-type')?.startsWith('text/html') ? await response.clone().text() : '';
    const csrf = hiddenInput(body, 'csrf_token');
    const isLogin = body.includes('autocomplete="current-password"');
    const isConsent = body.includes('value="allow"');
    if (csrf && body.includes('name="user_code"') && options.userCode !== undefined && !pages.includes('device')) {
      pages.push('device');
      request = postForm(formAction(body), { csrf_token: csrf, user_code: options.userCode }, jar);
      continue;
    }
    if (csrf && isLogin && options.credentials && !pages.includes('login')) {
      pages.push('login');
      request = postForm(formAction(body), { csrf_token: csrf, ...options.credentials }, jar);
      continue;
    }
    if (csrf && body.includes('autocomplete="one-time-code"') && options.oneTimeCode && !pages.includes('otp')) {
      pages.push('otp');
      request = postForm(formAction(body), { csrf_token: csrf, code: options.oneTimeCode() }, jar);
      continue;
    }
    if (csrf && isConsent && options.decision) {
      pages.push('consent');
      request = postForm(formAction(body), { csrf_token: csrf, decision: options.decision }, jar);
      continue;
    }
    return { response, pages };
  }
  throw new Error('flow did not end');
}

function postForm(action: string, fields: Record<string, string>, jar: CookieJar): Request {
  return new Request(action, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}
