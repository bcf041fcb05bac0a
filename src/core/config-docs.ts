import { configFields } from './config.js';

/** The configuration reference page (`docs/configuration.md`), generated from `configFields`. */
export function renderConfigDocs(): string {
  const rows = Object.entries(configFields).map(([key, field]) => {
    const env = 'fallbackEnv' in field && field.fallbackEnv ? `\`${field.env}\` (or \`${field.fallbackEnv}\`)` : `\`${field.env}\``;
    return `| \`${key}\` | ${env} | ${field.shownDefault} | ${field.doc} |`;
  });
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from src/core/config.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'Every option is both a key of the JSON config file and an environment variable; the environment',
    'wins. The config file is `latchkey.config.json` in the working directory when present, or the file',
    'named by `--config FILE` or `LATCHKEY_CONFIG`. Startup validates everything at once and stops with',
    'a list of every problem; unsafe combinations stop it too.',
    '',
    '```json',
    '{ "issuer": "https://id.example.com", "accessTokenTtlSeconds": 900, "refreshTokenIssuance": "offline_access" }',
    '```',
    '',
    '| key | environment | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
