import { compactVerify, decodeProtectedHeader } from 'jose';
import type { ProviderContext } from '../core/context.js';
import { InvalidRequest } from '../core/errors.js';
import { COMPACT_JWE, decryptForProvider } from '../keys/decryption.js';

/** What an `id_token_hint` says, once its signature and issuer are checked. */
export interface IdTokenHint {
  sub: string;
  /** The clients it was issued to. */
  aud: string[];
  sid?: string;
}

/**
 * Verifies an `id_token_hint` (OIDC Core §3.1.2.1, RP-Initiated Logout §2): signed by one of
 * latchkey's published keys and issued by this issuer. Its expiry is not checked — a hint is
 * often an ID token that expired long ago, and it proves only who the RP believes is signed in.
 * An ID token the client received encrypted may come back re-encrypted to latchkey's decryption
 * key (OIDC Core §3.1.2.1): the signed ID token inside is the hint.
 * @throws InvalidRequest
 */
export async function verifyIdTokenHint(hint: string, ctx: ProviderContext): Promise<IdTokenHint> {
  try {
    const signed = COMPACT_JWE.test(hint) ? new TextDecoder().decode(await decryptForProvider(hint, ctx.keys)) : hint;
    const { kid } = decodeProtectedHeader(signed);
    const key = kid === undefined ? undefined : await ctx.keys.verificationKey(kid);
    if (!key) throw new Error('unknown kid');
    const { payload } = await compactVerify(signed, key);
    const claims = JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown; sub?: unknown; aud?: unknown; sid?: unknown };
    if (claims.iss !== ctx.config.issuer || typeof claims.sub !== 'string') throw new Error('not issued here');
    const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
    return { sub: claims.sub, aud, ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}) };
  } catch (error) {
    throw new InvalidRequest('id_token_hint is not a valid ID token issued by this server', { cause: error });
  }
}
