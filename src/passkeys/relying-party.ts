/**
 * latchkey as a WebAuthn Relying Party (W3C Web Authentication Level 3 §5.1.4): its RP ID is the
 * issuer's host name, its origin the issuer's origin. Passkeys are offered where a browser can
 * use them — the issuer a domain (never an IP address, §5.1.4.2 "valid domain") in a secure
 * context (https, or http on `localhost`) — for accounts that keep passkeys (the built-in ones).
 */
import { isIP } from 'node:net';
import type { ProviderContext } from '../core/context.js';

/** The RP as the ceremonies name it. */
export interface RelyingParty {
  /** The RP ID: the issuer's host name. */
  id: string;
  /** The origin every ceremony must come from: the issuer's. */
  origin: string;
  /** Shown by the browser when a passkey is made. */
  name: string;
}

/** This issuer as a relying party. */
export function relyingPartyOf(ctx: Pick<ProviderContext, 'urls'>): RelyingParty {
  const url = new URL(ctx.urls.issuer);
  return { id: url.hostname, origin: url.origin, name: url.hostname };
}

/** Whether sign-in and registration with passkeys are offered under this configuration. */
export function offersPasskeys(ctx: Pick<ProviderContext, 'urls' | 'accounts'>): boolean {
  if (ctx.accounts.findPasskey === undefined || ctx.accounts.recordPasskeyUse === undefined) return false;
  const url = new URL(ctx.urls.issuer);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return false;
  return url.protocol === 'https:' || host === 'localhost' || host.endsWith('.localhost');
}
