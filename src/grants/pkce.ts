import { timingSafeEqual } from 'node:crypto';
import { InvalidGrant } from '../core/errors.js';
import { sha256 } from '../util/digest.js';

/** RFC 7636 §4.1: code_verifier = 43*128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Checks the PKCE binding of an authorization code (S256 only; `plain` is never accepted).
 *
 * - RFC 7636 §4.6: the verifier's S256 transform must equal the stored challenge;
 * - RFC 9700 §2.1.1: a code issued without a challenge MUST NOT be redeemed with a verifier
 *   (that is a PKCE downgrade attempt).
 * @throws InvalidGrant
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export function verifyPkce(code_challenge: string | undefined, code_verifier: string | undefined): void {
  if (code_challenge === undefined) {
    if (code_verifier !== undefined) throw new InvalidGrant('code_verifier was sent but the authorization request had no code_challenge');
    return;
  }
  if (code_verifier === undefined) throw new InvalidGrant('code_verifier is required');
  if (!CODE_VERIFIER.test(code_verifier)) throw new InvalidGrant('code_verifier is malformed');
  const computed = Buffer.from(sha256(code_verifier).toString('base64url'), 'latin1');
  // Compared as the strings they are (RFC 7636 §4.6), in constant time. Their lengths tell
  // nothing: the challenge was sent in the clear, and the authorization endpoint checked that it
  // has 43 characters, as the computed one has.
  const challenge = Buffer.from(code_challenge, 'latin1');
  if (challenge.length !== computed.length || !timingSafeEqual(computed, challenge)) throw new InvalidGrant('code_verifier does not match the code_challenge');
}
