import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { importJWK, type CryptoKey } from 'jose';
import type { KeyRecord, KeyStore } from '../storage/types.js';
import type { DecryptionAlgorithm, SigningAlgorithm } from './algorithms.js';
import type { SigningKey } from './jws.js';
import { decryptPrivateJwk } from './private-key-encryption.js';

export type { SigningKey } from './jws.js';

/** The keys as the engine uses them: cached, decrypted once, refreshed from storage. */
export interface Keyring {
  /** The `current` key for `alg`. @throws Error when there is none (keys were never generated). */
  signingKey(alg: SigningAlgorithm): Promise<SigningKey>;
  /**
   * The private key a client encrypted to: the published decryption key `kid` (next, current or
   * previous: a client may have cached any of them), or without a `kid` the current key of `alg`.
   * Undefined when there is no such key.
   */
  decryptionKey(alg: DecryptionAlgorithm, kid: string | undefined): Promise<KeyObject | undefined>;
  /** The JWKS document (RFC 7517 §5), serialized: public keys in states next, current and previous. */
  jwks(): Promise<string>;
  /** `jwks()` when the key list was read less than the refresh interval ago; undefined when it must be read again. */
  freshJwks(): string | undefined;
  /** The public signing key `kid` if it is published (to verify latchkey's own JWTs, e.g. `id_token_hint`). */
  verificationKey(kid: string): Promise<CryptoKey | undefined>;
  /** Drops the cached key list: the next use re-reads it (another process changed the keys). */
  invalidate(): void;
}

interface Snapshot {
  /** `kid:state` of every key, to tell whether anything changed. */
  fingerprint: string;
  published: KeyRecord[];
  jwks: string;
  signing: Map<string, Promise<SigningKey>>;
}

/** Published states: a `next` key is announced before use, a `previous` one stays to verify. */
const PUBLISHED = new Set(['next', 'current', 'previous']);

/**
 * Creates the keyring over `store`. The key list is re-read at most every `refreshIntervalMs`
 * (default 1 s), so a rotation made by another process (`latchkey keys rotate`) is picked up
 * without a restart; private keys are decrypted and imported once per `kid`.
 */
export function createKeyring(options: { store: KeyStore; secret: string; refreshIntervalMs?: number }): Keyring {
  const { store, secret } = options;
  const refreshIntervalMs = options.refreshIntervalMs ?? 1000;
  const imported = new Map<string, Promise<KeyObject>>();
  let snapshot: Snapshot | undefined;
  let loadedAt = 0;
  let loading: Promise<Snapshot> | undefined;

  function privateKeyOf(record: KeyRecord): Promise<KeyObject> {
    let key = imported.get(record.kid);
    if (!key) {
      key = decryptPrivateJwk(record.private_jwk_encrypted, secret).then((jwk) => createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }));
      imported.set(record.kid, key);
      key.catch(() => imported.delete(record.kid));
    }
    return key;
  }

  function importPrivate(record: KeyRecord): Promise<SigningKey> {
    return privateKeyOf(record).then((privateKey) => ({ kid: record.kid, alg: record.alg as SigningAlgorithm, key: privateKey }));
  }

  async function load(): Promise<Snapshot> {
    const records = await store.list();
    const fingerprint = records.map((r) => `${r.kid}:${r.state}`).sort().join(',');
    if (snapshot && snapshot.fingerprint === fingerprint) return snapshot;
    const published = records.filter((r) => PUBLISHED.has(r.state));
    const signing = new Map<string, Promise<SigningKey>>();
    for (const record of records) {
      if (record.state === 'current' && isSigningKey(record) && !signing.has(record.alg)) signing.set(record.alg, importPrivate(record));
    }
    return { fingerprint, published, jwks: JSON.stringify({ keys: published.map((r) => r.public_jwk) }), signing };
  }

  /** Bumped by `invalidate()`: a load begun before it must not be kept as current. */
  let generation = 0;

  async function current(): Promise<Snapshot> {
    if (snapshot && Date.now() - loadedAt < refreshIntervalMs) return snapshot;
    if (loading) return loading;
    const started = generation;
    const promise = load()
      .then((loaded) => {
        if (started === generation) {
          snapshot = loaded;
          loadedAt = Date.now();
        }
        return loaded;
      })
      .finally(() => {
        if (loading === promise) loading = undefined;
      });
    loading = promise;
    return promise;
  }

  return {
    async signingKey(alg) {
      const key = (await current()).signing.get(alg);
      if (!key) throw new Error(`no current signing key for ${alg}; run \`latchkey keys rotate\``);
      return key;
    },
    async jwks() {
      return (await current()).jwks;
    },
    freshJwks() {
      return snapshot && Date.now() - loadedAt < refreshIntervalMs ? snapshot.jwks : undefined;
    },
    async decryptionKey(alg, kid) {
      const { published } = await current();
      const record = kid === undefined
        ? published.find((r) => r.alg === alg && r.state === 'current' && !isSigningKey(r))
        : published.find((r) => r.kid === kid && r.alg === alg && !isSigningKey(r));
      return record === undefined ? undefined : privateKeyOf(record);
    },
    async verificationKey(kid) {
      const record = (await current()).published.find((r) => r.kid === kid && isSigningKey(r));
      return record ? ((await importJWK(record.public_jwk, record.alg)) as CryptoKey) : undefined;
    },
    invalidate() {
      generation += 1;
      loadedAt = 0;
      loading = undefined;
    },
  };
}

/** A signing key (`use: sig`; keys made before decryption keys existed have nothing else). */
function isSigningKey(record: KeyRecord): boolean {
  return record.public_jwk.use !== 'enc';
}
