/** Reading the Prometheus text exposition in tests: a strict parser, and a scrape of an in-process provider. */
import assert from 'node:assert/strict';
import { ISSUER, type TestProvider } from './index.js';

/** A parsed exposition: every sample by its series as printed (`name{label="value",…}`), and each metric's TYPE and HELP. */
export interface Exposition {
  samples: Map<string, number>;
  types: Map<string, string>;
  help: Map<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,(?=[a-zA-Z_]))?)*\})?) (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|\+Inf|-Inf))$/;

/**
 * Parses the Prometheus text format 0.0.4, refusing any line that is neither a HELP, a TYPE nor a
 * sample, and any sample printed twice.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export function parseExposition(text: string): Exposition {
  const parsed: Exposition = { samples: new Map(), types: new Map(), help: new Map() };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (comment) {
      (comment[1] === 'HELP' ? parsed.help : parsed.types).set(comment[2]!, comment[3]!);
      continue;
    }
    const sample = SAMPLE.exec(line);
    assert.ok(sample, `not a line of the exposition format: ${line}`);
    assert.equal(parsed.samples.has(sample[1]!), false, `sample printed twice: ${sample[1]}`);
    parsed.samples.set(sample[1]!, Number(sample[2]));
  }
  return parsed;
}

/** GET /metrics of an in-process test provider: asserts a 200 in the text format, returns it parsed. */
export async function scrape(tp: TestProvider, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/metrics`, { headers }));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}
