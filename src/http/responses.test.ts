import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html, json, jsonNoStore, redirect, respond, toResponse } from './responses.js';

test('answers: headers as a flat name/value list, set-cookie once per cookie; toResponse gives the same as a Fetch Response', async () => {
  const answer = jsonNoStore({ ok: true }, { status: 201, headers: { 'www-authenticate': 'Bearer realm="x"' } });
  assert.equal(answer.status, 201);
  assert.equal(answer.body, '{"ok":true}');
  assert.deepEqual(answer.headers, [
    'content-type', 'application/json; charset=utf-8',
    'x-content-type-options', 'nosniff',
    'cache-control', 'no-store',
    'pragma', 'no-cache',
    'www-authenticate', 'Bearer realm="x"',
  ]);
  const response = toResponse(answer);
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="x"');
  assert.deepEqual(await response.json(), { ok: true });

  const headers = new Headers([['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
  const page = await html('<p>hi</p>', 200, headers);
  assert.deepEqual(page.headers.filter((_, index) => index % 2 === 0).sort(), ['cache-control', 'content-type', 'set-cookie', 'set-cookie']);
  assert.deepEqual(toResponse(page).headers.getSetCookie(), ['a=1', 'b=2']);
  const moved = redirect('https://rp.example/cb?code=x', 303);
  assert.equal(moved.body, null);
  assert.equal(toResponse(moved).headers.get('location'), 'https://rp.example/cb?code=x');
});

test('answers: a header value with a line break or NUL is refused, as Fetch Headers refuse it', () => {
  for (const value of ['a\r\nset-cookie: evil=1', 'a\nb', 'a\u0000b']) {
    assert.throws(() => json({}, { headers: { 'www-authenticate': value } }), TypeError);
    assert.throws(() => respond(null, 200, { location: value }), TypeError);
  }
});
