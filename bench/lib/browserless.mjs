// A browser without a browser, for both servers of the benchmark: follow redirects within the
// provider, keep its cookies, and answer its pages the way automation does — the login form
// (CSRF token, username, password) and the consent form (CSRF token, decision=allow). Both
// servers' pages carry the same form fields, so one driver runs the same flow on each.

/** Cookies by name, from Set-Cookie headers (paths ignored: one provider per jar). */
export class CookieJar {
  values = new Map();

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.values.delete(name);
      else this.values.set(name, value);
    }
  }

  header() {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function hiddenInput(html, name) {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html);
  return match ? /value="([^"]*)"/.exec(match[0])?.[1] : undefined;
}

function formAction(html) {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the page');
  return action.replace(/&amp;/g, '&');
}

/**
 * Runs an authorization request to its end: the redirect to `redirectUri`, whose URL it returns
 * (with `code`). Logs in with `credentials` and allows consent when asked.
 * @throws Error when the flow ends anywhere else.
 */
export async function runFlow(authorizeUrl, { jar = new CookieJar(), credentials, redirectUri, maxSteps = 12 }) {
  const origin = new URL(authorizeUrl).origin;
  let url = authorizeUrl;
  let init = {};
  let loggedIn = false;
  for (let step = 0; step < maxSteps; step += 1) {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (location) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      if (next.origin !== origin) throw new Error(`flow left the provider for ${next.href}`);
      url = next.href;
      init = {};
      continue;
    }
    const body = await response.text();
    const csrf = hiddenInput(body, 'csrf_token');
    const post = (fields) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: csrf, ...fields }).toString(),
    });
    if (csrf && body.includes('autocomplete="current-password"') && credentials && !loggedIn) {
      loggedIn = true;
      url = new URL(formAction(body), url).href;
      init = post(credentials);
      continue;
    }
    if (csrf && body.includes('value="allow"')) {
      url = new URL(formAction(body), url).href;
      init = post({ decision: 'allow' });
      continue;
    }
    throw new Error(`flow stopped at ${url}: ${response.status} ${body.slice(0, 200)}`);
  }
  throw new Error('flow did not end');
}
