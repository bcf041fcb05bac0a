import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig, readConfigSources } from './config.js';
import { LONGEST_ACCESS_TOKEN_SECONDS, LONGEST_GRANT_SECONDS, REVOKED_GRANT_RETENTION_SECONDS } from '../storage/types.js';

test('config: no input → the documented defaults, frozen', () => {
  const config = parseConfig({});
  assert.equal(config.issuer, 'http://localhost:8000');
  assert.equal(config.port, 8000);
  assert.equal(config.databaseUrl, 'sqlite:./data/latchkey.db');
  assert.equal(config.accessTokenTtlSeconds, 3600);
  assert.equal(config.authorizationCodeTtlSeconds, 60);
  assert.equal(config.refreshTokenIssuance, 'always');
  assert.ok(Object.isFrozen(config));
});

test('config: environment overrides the config file; PORT is read when LATCHKEY_PORT is unset', () => {
  const input = readConfigSources({ LATCHKEY_ISSUER: 'https://id.example.com/', PORT: '9000' }, { issuer: 'https://file.example.com', accessTokenTtlSeconds: 900 });
  const config = parseConfig(input);
  assert.equal(config.issuer, 'https://id.example.com');
  assert.equal(config.port, 9000);
  assert.equal(config.accessTokenTtlSeconds, 900);
  assert.equal(parseConfig(readConfigSources({ LATCHKEY_PORT: '7000', PORT: '9000' })).port, 7000);
});

test('config: every problem is reported at once', () => {
  assert.throws(
    () => parseConfig(readConfigSources({ LATCHKEY_PORT: 'eighty', LATCHKEY_ACCESS_TOKEN_TTL_SECONDS: '5', LATCHKEY_REFRESH_TOKEN_ISSUANCE: 'sometimes' })),
    (error: unknown) => {
      if (!(error instanceof ConfigError)) return false;
      assert.equal(error.problems.length, 3);
      assert.match(error.problems[0]!, /^port \(LATCHKEY_PORT\)/);
      assert.match(error.problems[1]!, /^accessTokenTtlSeconds \(LATCHKEY_ACCESS_TOKEN_TTL_SECONDS\)/);
      assert.match(error.problems[2]!, /^refreshTokenIssuance \(LATCHKEY_REFRESH_TOKEN_ISSUANCE\)/);
      return true;
    },
  );
});

test('config: unknown key in the config file → ConfigError', () => {
  assert.throws(() => parseConfig({ isuer: 'x' } as never), /isuer: unknown configuration key/);
});

test('config: http issuer on a non-loopback host → refused', () => {
  assert.throws(() => parseConfig({ issuer: 'http://id.example.com' }), /must be https unless the host is loopback/);
});

test('config: dangerouslyAllowHttpIssuer outside development → refused; in development → accepted', () => {
  assert.throws(() => parseConfig({ issuer: 'http://id.example.com', dangerouslyAllowHttpIssuer: true }), /refused outside development mode/);
  const config = parseConfig(readConfigSources({ LATCHKEY_ISSUER: 'http://id.example.com', LATCHKEY_DANGEROUSLY_ALLOW_HTTP_ISSUER: 'true', LATCHKEY_DEVELOPMENT: '1' }));
  assert.equal(config.issuer, 'http://id.example.com');
});

test('config: issuer with a query or fragment → refused', () => {
  assert.throws(() => parseConfig({ issuer: 'https://id.example.com/?x=1' }), /must not have a query or fragment/);
});

test('config: database URL of another scheme → refused', () => {
  assert.throws(() => parseConfig({ databaseUrl: 'mysql://db' }), /must be sqlite:PATH or postgres/);
});

test('config: metricsToken (LATCHKEY_METRICS_TOKEN) → unset by default; shorter than 16 or outside the Bearer alphabet → ConfigError', () => {
  assert.equal(parseConfig({}).metricsToken, undefined);
  assert.equal(parseConfig(readConfigSources({ LATCHKEY_METRICS_TOKEN: 'abcdef0123456789~._-+/=' })).metricsToken, 'abcdef0123456789~._-+/=');
  assert.throws(() => parseConfig({ metricsToken: 'short' }), /^ConfigError: invalid configuration:\n {2}- metricsToken \(LATCHKEY_METRICS_TOKEN\): must be at least 16 characters$/);
  assert.throws(
    () => parseConfig({ metricsToken: 'has spaces and "quotes" in it' }),
    /metricsToken \(LATCHKEY_METRICS_TOKEN\): must use only A-Z a-z 0-9 - \. _ ~ \+ \/ \(and trailing =\), as a Bearer token$/,
  );
});

test('config: lifetimes beyond what a grant revocation is kept for → refused (REVOKED_GRANT_RETENTION_SECONDS rests on these limits)', () => {
  assert.equal(parseConfig({ refreshTokenTtlSeconds: LONGEST_GRANT_SECONDS, accessTokenTtlSeconds: LONGEST_ACCESS_TOKEN_SECONDS }).refreshTokenTtlSeconds, LONGEST_GRANT_SECONDS);
  assert.throws(() => parseConfig({ refreshTokenTtlSeconds: LONGEST_GRANT_SECONDS + 1 }), ConfigError);
  assert.throws(() => parseConfig({ accessTokenTtlSeconds: LONGEST_ACCESS_TOKEN_SECONDS + 1 }), ConfigError);
  assert.ok(REVOKED_GRANT_RETENTION_SECONDS > LONGEST_GRANT_SECONDS + LONGEST_ACCESS_TOKEN_SECONDS);
});

test('config: brand (LATCHKEY_BRAND_NAME, _LOGO_URL, _COLOR) → unset by default; a name trimmed, an https or data: image logo, a #rgb/#rrggbb colour; anything else → ConfigError', () => {
  const plain = parseConfig({});
  assert.deepEqual([plain.brandName, plain.brandLogoUrl, plain.brandColor], [undefined, undefined, undefined]);
  const branded = parseConfig(readConfigSources({ LATCHKEY_BRAND_NAME: '  Example Accounts ', LATCHKEY_BRAND_LOGO_URL: 'https://cdn.example.com/logo.svg', LATCHKEY_BRAND_COLOR: '#C2410C' }));
  assert.deepEqual([branded.brandName, branded.brandLogoUrl, branded.brandColor], ['Example Accounts', 'https://cdn.example.com/logo.svg', '#C2410C']);
  assert.equal(parseConfig({ brandLogoUrl: 'data:image/png;base64,iVBORw0KGgo=' }).brandLogoUrl, 'data:image/png;base64,iVBORw0KGgo=');
  assert.equal(parseConfig({ brandColor: '#abc' }).brandColor, '#abc');
  for (const brandColor of ['red', '#abcd', '#12345g', '#123456;background:url(x)', 'rgb(0,0,0)']) assert.throws(() => parseConfig({ brandColor }), /brandColor \(LATCHKEY_BRAND_COLOR\): must be a colour as #rgb or #rrggbb/, brandColor);
  for (const brandLogoUrl of ['http://cdn.example.com/logo.png', 'javascript:alert(1)', 'data:text/html;base64,PGI+', 'https://cdn.example.com/a logo.png']) {
    assert.throws(() => parseConfig({ brandLogoUrl }), /brandLogoUrl \(LATCHKEY_BRAND_LOGO_URL\): must be an https URL or a base64 data:image\/… URL/, brandLogoUrl);
  }
  assert.throws(() => parseConfig({ brandName: '   ' }), /brandName \(LATCHKEY_BRAND_NAME\)/);
});
