import type { KeyRecord, Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from './algorithms.js';
import { generateSigningKey } from './generate-key.js';

/**
 * Makes sure every supported algorithm has a `current` key and a published `next` one. Run at
 * startup; generates only what is missing. Returns the keys it created.
 */
export async function ensureSigningKeys(storage: Storage, secret: string, clock: Clock): Promise<KeyRecord[]> {
  const created: KeyRecord[] = [];
  await storage.transaction(async (tx) => {
    const keys = await tx.keys.list();
    for (const alg of SIGNING_ALGORITHMS) {
      for (const state of ['current', 'next'] as const) {
        if (keys.some((k) => k.alg === alg && k.state === state)) continue;
        const key = await generateSigningKey(alg, state, secret, clock.now());
        await tx.keys.insert(key);
        created.push(key);
      }
    }
  });
  return created;
}

/**
 * Rotates the signing keys of `algorithms` (default: all). For each: the `previous` key is
 * retired, `current` becomes `previous` (still published, so tokens it signed still verify),
 * `next` — already published, so relying parties have cached it — becomes `current`, and a new
 * `next` is generated and published.
 */
export async function rotateSigningKeys(
  storage: Storage,
  secret: string,
  clock: Clock,
  algorithms: readonly SigningAlgorithm[] = SIGNING_ALGORITHMS,
): Promise<KeyRecord[]> {
  const now = clock.now();
  const fresh = await Promise.all(algorithms.map((alg) => generateSigningKey(alg, 'next', secret, now)));
  await storage.transaction(async (tx) => {
    const keys = await tx.keys.list();
    for (const alg of algorithms) {
      const ofAlg = keys.filter((k) => k.alg === alg);
      for (const key of ofAlg.filter((k) => k.state === 'previous')) await tx.keys.setState(key.kid, 'retired', now);
      for (const key of ofAlg.filter((k) => k.state === 'current')) await tx.keys.setState(key.kid, 'previous', now);
      const next = ofAlg.find((k) => k.state === 'next');
      const newNext = fresh.find((k) => k.alg === alg)!;
      if (next) {
        await tx.keys.setState(next.kid, 'current', now);
        await tx.keys.insert(newNext);
      } else {
        // No published next key (an older database): the new key must be used at once.
        await tx.keys.insert({ ...newNext, state: 'current' });
      }
    }
  });
  return storage.keys.list();
}
