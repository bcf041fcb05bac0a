/**
 * A person's data: everything latchkey holds of a built-in account, as one JSON document — what
 * the account console's Download your data gives the person, and the admin API
 * (`GET /users/{sub}/export`) and the CLI (`latchkey users export`) give an administrator answering
 * their request (GDPR Art. 15 and 20: access, in a portable format) — the
 * profile and claims, how the account signs in (never a secret: no password hash, no
 * authenticator key, no recovery code, no passkey's public key), the connected sign-ins, the
 * applications allowed, the sessions and the audit log's record of the account.
 */
import type { AccountRecord, Storage } from '../storage/types.js';

/** How many of the account's audit events the document carries, newest first. */
const MOST_EVENTS = 1000;

/** A time as the document writes it: ISO 8601 in UTC. */
function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

/**
 * Who did what an audit event of `sub`'s account records: the person (`self`), someone
 * unidentified (`someone`: a wrong password typed for the account's username), or one who
 * administers it (`administrator`: a person of the admin console, an admin API client, the CLI,
 * the host's code).
 */
export function whoActed(actor: string, sub: string): 'self' | 'someone' | 'administrator' {
  if (actor === `user:${sub}`) return 'self';
  return actor === 'anonymous' ? 'someone' : 'administrator';
}

/** What the document is made from: the storage, the issuer it is of, and the time it is made (seconds). */
export interface AccountDataSources {
  storage: Pick<Storage, 'consents' | 'artifacts' | 'accounts' | 'upstreams' | 'audit' | 'clients'>;
  issuer: string;
  now: number;
}

/** The account's data as a JSON-ready object. */
export async function accountData(account: AccountRecord, { storage, issuer, now }: AccountDataSources): Promise<Record<string, unknown>> {
  const [consents, sessions, identities, upstreams, events] = await Promise.all([
    storage.consents.list({ sub: account.sub }, { limit: 1000 }),
    storage.artifacts.list('session', { owner: account.sub, limit: 1000 }),
    storage.accounts.upstreamIdentities(account.sub),
    storage.upstreams.list(),
    storage.audit.list({ sub: account.sub }, { limit: MOST_EVENTS }),
  ]);
  const upstreamName = new Map(upstreams.map((upstream) => [upstream.id, upstream.name]));
  const applications = await Promise.all(
    consents.items.map(async (consent) => {
      const client = await storage.clients.find(consent.client_id);
      return {
        client_id: consent.client_id,
        ...(client?.client_name === undefined ? {} : { client_name: client.client_name }),
        scope: consent.scope,
        ...(consent.claims === '' ? {} : { claims: consent.claims }),
        allowed_at: iso(consent.granted_at),
      };
    }),
  );
  return {
    exported_at: iso(now),
    issuer,
    account: {
      sub: account.sub,
      username: account.username,
      ...(account.name === undefined ? {} : { name: account.name }),
      ...(account.given_name === undefined ? {} : { given_name: account.given_name }),
      ...(account.family_name === undefined ? {} : { family_name: account.family_name }),
      ...(account.email === undefined ? {} : { email: account.email, email_verified: account.email_verified }),
      claims: account.claims,
      ...(account.groups === undefined ? {} : { groups: account.groups }),
      roles: account.roles,
      created_at: iso(account.created_at),
      updated_at: iso(account.updated_at),
    },
    sign_in: {
      password: account.password_hash !== undefined,
      two_step_verification: account.totp === undefined ? null : { since: iso(account.totp.enabled_at), recovery_codes_left: account.totp.recovery_codes?.length ?? 0 },
      passkeys: (account.passkeys ?? []).map((passkey) => ({
        name: passkey.name,
        synced: passkey.synced,
        added_at: iso(passkey.created_at),
        ...(passkey.last_used_at === undefined ? {} : { last_used_at: iso(passkey.last_used_at) }),
      })),
      connected_sign_ins: identities.map((identity) => ({
        provider: upstreamName.get(identity.upstream_id) ?? identity.upstream_id,
        ...(identity.email === undefined ? {} : { email: identity.email }),
        connected_at: iso(identity.created_at),
        ...(identity.last_used_at === undefined ? {} : { last_used_at: iso(identity.last_used_at) }),
      })),
    },
    applications,
    sessions: sessions.items.map((session) => ({
      signed_in_at: iso(session.value.auth_time),
      methods: session.value.amr,
      ...(session.value.user_agent === undefined ? {} : { user_agent: session.value.user_agent }),
      ...(session.value.address === undefined ? {} : { address: session.value.address }),
      expires_at: iso(session.expires_at),
    })),
    activity: events.items.map((event) => {
      // Someone else's doing is said so, without naming them.
      const by = whoActed(event.actor, account.sub);
      return {
        at: iso(event.at),
        type: event.type,
        ...(by === 'self' ? {} : { by }),
        ...(event.client_id === undefined ? {} : { client_id: event.client_id }),
        ...(Object.keys(event.data).length === 0 ? {} : { details: event.data }),
      };
    }),
  };
}
