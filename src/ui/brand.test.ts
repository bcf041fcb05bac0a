/** The pages' brand: a name and logo above every page, an accent colour, and the CSP that lets its stylesheet apply. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { brandOf, NO_BRAND } from './brand.js';
import { createBuiltinPages } from './index.js';
import { STYLE } from './style.js';

const LOGIN = { action: 'https://op.test/interaction/x/login', csrfToken: 'token', client: { client_id: 'app', client_name: 'App' } };

/** The text of the page's one `<style>` element, and the CSP source that allows exactly it. */
function inlineStyle(html: string): { text: string; source: string } {
  const text = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  assert.ok(text !== undefined, 'the page has its stylesheet inline');
  return { text, source: `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'` };
}

test('brandOf: nothing set → latchkey\'s own pages; a colour → the accent of both schemes, with black or white text, whichever contrasts more', () => {
  assert.equal(brandOf({}), NO_BRAND);
  assert.equal(NO_BRAND.style, STYLE);
  const cases: [string, string][] = [['#0b5cd5', '#fff'], ['#ffcc00', '#000'], ['#FFF', '#000'], ['#000', '#fff'], ['#c2410c', '#fff'], ['#7dd3fc', '#000']];
  for (const [color, text] of cases) {
    const { style } = brandOf({ color });
    assert.ok(style.startsWith(STYLE), 'latchkey\'s stylesheet first');
    // After the dark scheme's media query, so that it wins in both schemes.
    assert.equal(style.slice(STYLE.length), `:root{--accent:${color};--accent-text:${text}}\n`, color);
  }
  assert.throws(() => brandOf({ color: 'red;}body{display:none' }), /is not #rgb or #rrggbb/);
});

test('pages: branded → the name after every title and above the page, the logo, the accent in the stylesheet and its hash in the CSP sources; unbranded → none of it', async () => {
  const brand = brandOf({ name: 'Example <Accounts>', logoUrl: 'https://cdn.example.com/logo.svg', color: '#c2410c' });
  const pages = createBuiltinPages(brand);
  const login = await pages.login(LOGIN);
  assert.match(login, /<title>Sign in · Example &lt;Accounts&gt;<\/title>/);
  assert.match(login, /<div class="brand"><img src="https:\/\/cdn.example.com\/logo.svg" alt=""\/?><span>Example &lt;Accounts&gt;<\/span><\/div>/);
  const style = inlineStyle(login);
  assert.equal(style.text, brand.style);
  assert.deepEqual(pages.cspSources.style, [style.source], 'the CSP allows exactly the stylesheet sent');
  for (const html of [await pages.error({ status: 400, error: 'invalid_request', error_description: 'no' }), await pages.loggedOut({ signedOut: true, frontchannelUris: [] }), await pages.device({ action: 'https://op.test/device', csrfToken: 't' })]) {
    assert.match(html, /<span>Example &lt;Accounts&gt;<\/span>/);
    assert.equal(inlineStyle(html).text, brand.style);
  }

  // A logo without a name: the image names itself.
  assert.match(await createBuiltinPages(brandOf({ logoUrl: 'https://cdn.example.com/logo.svg' })).login(LOGIN), /<div class="brand"><img src="https:\/\/cdn.example.com\/logo.svg" alt="Logo"\/?><\/div>/);

  const plain = createBuiltinPages();
  const unbranded = await plain.login(LOGIN);
  assert.match(unbranded, /<title>Sign in<\/title>/);
  assert.doesNotMatch(unbranded, /class="brand"/);
  assert.equal(inlineStyle(unbranded).text, STYLE);
  assert.deepEqual(plain.cspSources.style, [inlineStyle(unbranded).source]);
});
