/**
 * Admin API: latchkey's keys — signing keys, and the decryption keys clients encrypt request
 * objects to — each in its state: `next` (published, not yet in use), `current` (signing; the one
 * clients encrypt to), `previous` (published so that what it signed still verifies), `retired`.
 */
import { z } from '../../util/zod.js';
import { KEY_ALGORITHMS } from '../../keys/algorithms.js';
import { rotateKeys as rotateStoredKeys } from '../../keys/rotation.js';
import type { KeyRecord } from '../../storage/types.js';
import { Conflict, NotFound } from './errors.js';
import { operation } from './operation.js';
import { keyView } from './schemas.js';

/** A key as the admin API shows it: never its private part. */
function showKey(key: KeyRecord): z.infer<typeof keyView> {
  const { kid, alg, state, public_jwk, created_at, updated_at } = key;
  return { kid, alg, state, public_jwk: public_jwk as Record<string, unknown>, created_at, updated_at };
}

const STATE_ORDER = { next: 0, current: 1, previous: 2, retired: 3 } as const;

function sortKeys(keys: readonly KeyRecord[]): KeyRecord[] {
  return [...keys].sort((a, b) => a.alg.localeCompare(b.alg) || STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.created_at - a.created_at);
}

const keyList = z.object({ items: z.array(keyView) });

export const listKeys = operation({
  operationId: 'listKeys',
  summary: 'List the signing and decryption keys by algorithm and state (retired ones with `include_retired=true`)',
  tag: 'keys',
  query: z.object({ include_retired: z.enum(['true', 'false']).default('false') }),
  response: { status: 200, description: 'the keys', schema: keyList },
  async handle({ query }, { ctx }) {
    const keys = await ctx.storage.keys.list();
    return { items: sortKeys(keys.filter((key) => query.include_retired === 'true' || key.state !== 'retired')).map(showKey) };
  },
});

export const rotateKeys = operation({
  operationId: 'rotateKeys',
  summary: 'Rotate the keys (of `algorithms`, default all): next → current → previous → retired, and a new next is published',
  tag: 'keys',
  body: z.object({ algorithms: z.array(z.enum(KEY_ALGORITHMS)).min(1).optional() }).strict(),
  response: { status: 200, description: 'the keys after rotation (without retired ones)', schema: keyList },
  async handle({ body, actor }, admin) {
    const { ctx } = admin;
    const algorithms = body.algorithms ?? KEY_ALGORITHMS;
    const keys = await rotateStoredKeys(ctx.storage, ctx.config.secret!, ctx.clock, algorithms);
    // This process signs with the new current key from the next request on.
    ctx.keys.invalidate();
    ctx.events.emit('key.rotated', { algorithms: [...algorithms], actor: actor.id });
    await admin.flushAudit();
    return { items: sortKeys(keys.filter((key) => key.state !== 'retired')).map(showKey) };
  },
});

export const retireKey = operation({
  operationId: 'retireKey',
  summary: 'Retire a previous key at once (it is no longer published; what it signed no longer verifies, what was encrypted to it no longer decrypts). Current and next keys cannot be retired: rotate instead',
  tag: 'keys',
  response: { status: 200, description: 'the retired key', schema: keyView },
  async handle({ params, actor }, admin) {
    const { ctx } = admin;
    const key = (await ctx.storage.keys.list()).find((candidate) => candidate.kid === params.kid);
    if (!key) throw new NotFound(`no key ${params.kid}`);
    if (key.state !== 'previous') throw new Conflict(`key ${key.kid} is ${key.state}; only a previous key can be retired`);
    const now = ctx.clock.now();
    await ctx.storage.keys.setState(key.kid, 'retired', now);
    ctx.keys.invalidate();
    ctx.events.emit('key.retired', { kid: key.kid, alg: key.alg, actor: actor.id });
    await admin.flushAudit();
    return showKey({ ...key, state: 'retired', updated_at: now });
  },
});
