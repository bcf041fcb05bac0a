import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomToken, timeOrderedId } from './random.js';

test('randomToken: 32 bytes by default, base64url; no value repeats across many pool refills', () => {
  const seen = new Set<string>();
  // 4096-byte pool, 32 bytes each: 128 tokens per fill; 2000 tokens cross 15 refills.
  for (let i = 0; i < 2000; i++) {
    const token = randomToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    seen.add(token);
  }
  assert.equal(seen.size, 2000);
});

test('randomToken: other sizes, including odd ones that leave the pool unaligned and one larger than the pool', () => {
  for (const bytes of [16, 7, 33, 5000]) {
    const token = randomToken(bytes);
    assert.equal(Buffer.from(token, 'base64url').length, bytes);
  }
  const halves = new Set(Array.from({ length: 600 }, () => randomToken(15)));
  assert.equal(halves.size, 600);
});

test('timeOrderedId: an RFC 9562 version-7 UUID — the millisecond time first, then random bits; later ones sort after earlier ones', () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0, 123);
  const id = timeOrderedId(now);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(parseInt(id.replaceAll('-', '').slice(0, 12), 16), now);
  // Within one millisecond the random part tells them apart; across milliseconds the time orders them.
  const sameMillisecond = new Set(Array.from({ length: 1000 }, () => timeOrderedId(now)));
  assert.equal(sameMillisecond.size, 1000);
  const series = [now - 86_400_000, now - 1, now, now + 1, now + 1000].map((time) => timeOrderedId(time));
  assert.deepEqual([...series].sort(), series);
  const minute = 60_000;
  const made = timeOrderedId();
  assert.ok(made > timeOrderedId(Date.now() - minute) && made < timeOrderedId(Date.now() + minute), 'the default time is now');
});
