import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigDocs } from './config-docs.js';

test('config docs: docs/configuration.md is what the schema generates (run npm run docs:config)', () => {
  const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.equal(committed, renderConfigDocs());
});
