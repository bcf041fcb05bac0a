/**
 * Software statements (RFC 7591 §2.3): a JWT in which a software publisher vouches for the
 * metadata of its software — its name, its redirect URIs, its `software_id` — signed with the
 * publisher's key. A client registering at `/register` sends it beside (or instead of) its
 * metadata; latchkey accepts statements only from the publishers it is told to trust
 * (`softwareStatementIssuers`: each `iss` and its keys), and the statement's claims take
 * precedence over the same fields sent in the clear (§3.1.1). The statement is kept with the
 * client and returned unmodified (§3.2.1).
 */
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { PRIVATE_KEY_JWT_ALGORITHMS } from '../client-auth/assertion-algorithms.js';
import { OutboundError } from '../http/outbound.js';
import type { ProviderContext } from './context.js';
import { InvalidSoftwareStatement, UnapprovedSoftwareStatement } from './errors.js';

/** Longest statement accepted, in characters. */
const MAX_STATEMENT_LENGTH = 16_384;
/** Tolerated clock difference with the publisher, for `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** Claims of the JWT itself, not client metadata. */
const JWT_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti']);

/**
 * The registration request `input` with its software statement, if any, verified and applied:
 * the statement's claims (its own JWT claims aside) over the request's fields, and the statement
 * itself as `software_statement`. Without one, `input` as it is — unless `required`.
 * @throws UnapprovedSoftwareStatement — from a publisher latchkey does not trust.
 * @throws InvalidSoftwareStatement — not a signed JWT, a signature that does not verify with the
 * publisher's keys, expired or not yet valid; or none where one is required.
 */
export async function applySoftwareStatement(input: Record<string, unknown>, ctx: ProviderContext, required: boolean): Promise<Record<string, unknown>> {
  const statement = input.software_statement;
  if (statement === undefined) {
    if (required) throw new InvalidSoftwareStatement('a software statement from an approved publisher is required to register a client here');
    return input;
  }
  const claims = await verifySoftwareStatement(statement, ctx);
  const metadata = Object.fromEntries(Object.entries(claims).filter(([name]) => !JWT_CLAIMS.has(name)));
  return { ...input, ...metadata, software_statement: statement };
}

async function verifySoftwareStatement(statement: unknown, ctx: ProviderContext): Promise<JWTPayload> {
  if (typeof statement !== 'string') throw new InvalidSoftwareStatement('software_statement must be a JWT');
  if (statement.length > MAX_STATEMENT_LENGTH) throw new InvalidSoftwareStatement('software_statement is too large');
  let issuer: unknown;
  try {
    issuer = decodeJwt(statement).iss;
  } catch (error) {
    throw new InvalidSoftwareStatement('software_statement is not a JWT', { cause: error });
  }
  const keys = typeof issuer === 'string' && Object.hasOwn(ctx.config.softwareStatementIssuers, issuer) ? ctx.config.softwareStatementIssuers[issuer] : undefined;
  if (keys === undefined) throw new UnapprovedSoftwareStatement(typeof issuer === 'string' ? `software statements of ${issuer} are not approved here` : 'software_statement names no issuer (iss)');
  try {
    const { payload } = await jwtVerify(statement, async (header, token) => {
      if (typeof keys !== 'string') return createLocalJWKSet(keys as JSONWebKeySet)(header, token);
      try {
        return await createLocalJWKSet(await ctx.remoteKeySets.get(keys))(header, token);
      } catch (error) {
        // The publisher may have rotated its keys: fetch them once more.
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        return createLocalJWKSet(await ctx.remoteKeySets.get(keys, { refresh: true }))(header, token);
      }
    }, { algorithms: [...PRIVATE_KEY_JWT_ALGORITHMS], issuer: issuer as string, currentDate: new Date(ctx.clock.now() * 1000), clockTolerance: CLOCK_TOLERANCE_SECONDS });
    return payload;
  } catch (error) {
    throw new InvalidSoftwareStatement(reasonOf(error), { cause: error });
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof OutboundError) return `software_statement cannot be verified: the publisher's keys could not be fetched (${error.message})`;
  if (error instanceof errors.JWTExpired) return 'software_statement has expired';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return 'software_statement is not valid yet (nbf)';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'software_statement must be signed with the publisher\'s key (RS, PS, ES 256–512 or EdDSA)';
  if (error instanceof errors.JWKSNoMatchingKey) return 'software_statement is signed with a key its publisher does not publish';
  if (error instanceof errors.JOSEError) return `software_statement rejected: ${error.message}`;
  return 'software_statement could not be verified';
}
