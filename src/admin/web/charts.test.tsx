import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BarChart, LineChart, niceMax } from './charts.js';

const MINUTES = [0, 60, 120, 180];

test('charts: the scale rounds up to 1, 2 or 5 times a power of ten', () => {
  assert.deepEqual([0, 1, 2, 3, 7, 10, 11, 49, 51, 999].map((max) => niceMax([max])), [1, 1, 2, 5, 10, 10, 20, 50, 100, 1000]);
  assert.equal(niceMax([]), 1);
});

test('charts: a line chart draws one polyline point per minute, scaled into the plot, and says what it shows', async () => {
  const html = String(await (<LineChart id="c" title="Tokens" minutes={MINUTES} series={[{ label: 'code', values: [0, 5, 10, 0] }]} />).toString());
  assert.match(html, /<svg viewBox="0 0 360 140" role="img" aria-label="Tokens, per minute from 00:00 to 00:03 UTC: code 15 in total, at most 10 a minute\."/);
  assert.match(html, /<title>Tokens, per minute from 00:00 to 00:03 UTC: code 15 in total, at most 10 a minute\.<\/title>/);
  assert.match(html, /<polyline class="s0" data-series="code" points="34\.0,120\.0 140\.7,64\.0 247\.3,8\.0 354\.0,120\.0"/);
  assert.match(html, /<text class="tick"[^>]*>10<\/text>/);
});

test('charts: a bar chart draws a rect per non-zero value and series; a rate is summarized by its peak', async () => {
  const html = String(await (<BarChart id="c" title="Logins" minutes={MINUTES} series={[{ label: 'ok', values: [1, 0, 2, 0] }, { label: 'failed', values: [0, 0, 1, 0] }]} />).toString());
  assert.equal(html.match(/<rect /g)?.length, 3);
  assert.match(html, /<rect class="s1" data-series="failed" /);
  const rate = String(await (<LineChart id="r" title="Errors" minutes={MINUTES} summed={false} series={[{ label: '%', values: [0, 50, 0, 0] }]} />).toString());
  assert.match(rate, /aria-label="Errors, per minute from 00:00 to 00:03 UTC: % at most 50\."/);
});
