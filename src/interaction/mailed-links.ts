/**
 * The links latchkey mails (password reset, email confirmation): a 256-bit token in the URL,
 * stored by its digest with what it is for, good for a while; at most one of a kind a minute
 * per account, whoever asks.
 */
import type { ProviderContext } from '../core/context.js';
import type { Artifacts } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';

/** The kinds of mailed links, each with the artifact that holds back the next one for a minute. */
const HELD_BACK = { password_reset: 'password_reset_sent', email_verification: 'email_verification_sent' } as const;
type LinkKind = keyof typeof HELD_BACK;

/** How long after a link an account gets no second one of its kind, in seconds. */
const RESEND_SECONDS = 60;

/** A new link's token, holding `value` for `ttlSeconds` — or undefined when one of this kind went to the account within the minute. */
export async function newMailedLink<K extends LinkKind>(kind: K, value: Artifacts[K], ttlSeconds: number, ctx: Pick<ProviderContext, 'storage'>): Promise<string | undefined> {
  if (!(await ctx.storage.artifacts.add(HELD_BACK[kind], digestSecret(value.sub), { sub: value.sub }, RESEND_SECONDS))) return undefined;
  const token = randomToken();
  await ctx.storage.artifacts.put(kind, digestSecret(token), value, ttlSeconds);
  return token;
}

/** What the link `token` holds, while it works. */
export async function findMailedLink<K extends LinkKind>(kind: K, token: string, ctx: Pick<ProviderContext, 'storage'>): Promise<Artifacts[K] | undefined> {
  if (token === '' || token.length > 128) return undefined;
  return ctx.storage.artifacts.find(kind, digestSecret(token));
}

/** The link `token` is used: it works no more. */
export async function spendMailedLink(kind: LinkKind, token: string, ctx: Pick<ProviderContext, 'storage'>): Promise<void> {
  await ctx.storage.artifacts.delete(kind, digestSecret(token));
}
