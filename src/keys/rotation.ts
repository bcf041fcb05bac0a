import type { KeyRecord, Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './algorithms.js';
import { generateKey } from './generate-key.js';

/**
 * Makes sure every supported algorithm (signing and decryption) has a `current` key and a
 * published `next` one. Run at startup; generates only what is missing. Returns the keys it created.
 *
 * The missing keys are generated side by side (RSA key generation runs on the thread pool), before
 * the transaction that stores them, which stores only those still missing: processes starting
 * together on one new database (`--workers`) may each generate a set, and one set is kept.
 */
export async function ensureKeys(storage: Storage, secret: string, clock: Clock): Promise<KeyRecord[]> {
  const wanted = missingKeys(await storage.keys.list());
  if (wanted.length === 0) return [];
  const now = clock.now();
  const generated = await Promise.all(wanted.map(({ alg, state }) => generateKey(alg, state, secret, now)));
  const created: KeyRecord[] = [];
  await storage.transaction(async (tx) => {
    const stillMissing = missingKeys(await tx.keys.list());
    for (const key of generated) {
      if (!stillMissing.some((missing) => missing.alg === key.alg && missing.state === key.state)) continue;
      await tx.keys.insert(key);
      created.push(key);
    }
  });
  return created;
}

/** The `current` and `next` keys that `keys` lacks, per algorithm. */
function missingKeys(keys: readonly KeyRecord[]): { alg: KeyAlgorithm; state: 'current' | 'next' }[] {
  return KEY_ALGORITHMS.flatMap((alg) => (['current', 'next'] as const).filter((state) => !keys.some((k) => k.alg === alg && k.state === state)).map((state) => ({ alg, state })));
}

/**
 * Rotates the keys of `algorithms` (default: all). For each: the `previous` key is retired,
 * `current` becomes `previous` (still published, so tokens it signed still verify and objects
 * encrypted to it still decrypt), `next` — already published, so relying parties have cached it —
 * becomes `current`, and a new `next` is generated and published.
 */
export async function rotateKeys(
  storage: Storage,
  secret: string,
  clock: Clock,
  algorithms: readonly KeyAlgorithm[] = KEY_ALGORITHMS,
): Promise<KeyRecord[]> {
  const now = clock.now();
  const fresh = await Promise.all(algorithms.map((alg) => generateKey(alg, 'next', secret, now)));
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
