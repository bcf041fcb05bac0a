// The peer's storage: oidc-provider's in-memory adapter, without its 1000-entry cap. The adapter
// oidc-provider ships (lib/adapters/memory_adapter.js) is an LRU of 1000 entries: a benchmark
// minting thousands of codes before a sample would see most of them evicted (and the grant they
// share with them), and every save walks the grant's whole member list. This one keeps the same
// semantics — expiry, consume, the grant index for revokeByGrantId — in plain Maps, so the peer
// stores as much as the benchmark gives it, at O(1) per operation. Memory is swept of expired
// entries once a second.

const store = new Map();
const grants = new Map();

/** @type {Map<string, string>} */
const byUid = new Map();
const byUserCode = new Map();

const now = () => Date.now();

function get(key) {
  const entry = store.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
    store.delete(key);
    return undefined;
  }
  return entry.payload;
}

setInterval(() => {
  const at = now();
  for (const [key, entry] of store) if (entry.expiresAt !== undefined && entry.expiresAt <= at) store.delete(key);
}, 1000).unref();

export class PeerMemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    store.set(key, { payload, expiresAt: typeof expiresIn === 'number' ? now() + expiresIn * 1000 : undefined });
    if (payload.grantId) {
      const members = grants.get(payload.grantId) ?? new Set();
      members.add(key);
      grants.set(payload.grantId, members);
    }
    if (payload.uid) byUid.set(payload.uid, id);
    if (payload.userCode) byUserCode.set(payload.userCode, id);
  }

  async find(id) {
    return get(this.key(id));
  }

  async findByUid(uid) {
    const id = byUid.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = byUserCode.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const payload = get(this.key(id));
    if (payload) payload.consumed = Math.floor(now() / 1000);
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const key of grants.get(grantId) ?? []) store.delete(key);
    grants.delete(grantId);
  }
}
