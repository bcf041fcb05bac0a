import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACR_ONE_FACTOR as ONE, ACR_TWO_FACTORS as TWO, acrOfLogin, canStepUp, meetsLevel, meetsRequest, reportedAcr } from './assurance.js';

const CUSTOM = 'urn:example:acr:hardware-key';

test('acrOfLogin: mfa among the methods → two factors; other methods → one; a named acr wins; no methods → none', () => {
  assert.equal(acrOfLogin(['pwd', 'otp', 'mfa']), TWO);
  assert.equal(acrOfLogin(['pwd']), ONE);
  assert.equal(acrOfLogin(['hwk'], CUSTOM), CUSTOM);
  assert.equal(acrOfLogin([]), undefined);
});

test('meetsLevel: the same value, or a higher latchkey level; a value of its own meets only itself', () => {
  assert.ok(meetsLevel(TWO, ONE));
  assert.ok(meetsLevel(ONE, ONE));
  assert.ok(!meetsLevel(ONE, TWO));
  assert.ok(meetsLevel(CUSTOM, CUSTOM));
  assert.ok(!meetsLevel(CUSTOM, ONE));
  assert.ok(!meetsLevel(TWO, CUSTOM));
  assert.ok(!meetsLevel(undefined, ONE));
  assert.ok(meetsRequest(undefined, {}), 'nothing asked: met');
  assert.ok(meetsRequest(ONE, { acr_values: [TWO, ONE] }), 'any one of the values');
  assert.ok(!meetsRequest(ONE, { acr_values: [TWO, CUSTOM] }));
});

test('reportedAcr: the login\'s own when asked or nothing asked; else the highest value asked that it meets; else its own', () => {
  assert.equal(reportedAcr(TWO, {}), TWO);
  assert.equal(reportedAcr(TWO, { acr_values: [ONE, TWO] }), TWO);
  assert.equal(reportedAcr(TWO, { acr_values: [ONE] }), ONE);
  assert.equal(reportedAcr(TWO, { acr_values: [ONE, CUSTOM] }), ONE);
  assert.equal(reportedAcr(ONE, { acr_values: [TWO] }), ONE, 'not met: what was reached');
  assert.equal(reportedAcr(undefined, { acr_values: [ONE] }), undefined);
});

test('canStepUp: an account with a second factor, a session below the request, and two factors meeting it', () => {
  assert.ok(canStepUp({ secondFactor: 'otp' }, ONE, { acr_values: [TWO] }));
  assert.ok(!canStepUp({}, ONE, { acr_values: [TWO] }), 'no second factor');
  assert.ok(!canStepUp({ secondFactor: 'otp' }, TWO, { acr_values: [TWO] }), 'met already');
  assert.ok(!canStepUp({ secondFactor: 'otp' }, ONE, { acr_values: [CUSTOM] }), 'two factors would not meet it');
  assert.ok(!canStepUp(undefined, ONE, { acr_values: [TWO] }));
});
