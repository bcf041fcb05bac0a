/**
 * The interaction hook for host applications that render their own login and consent pages,
 * oauthlib-style and free of any framework: `/authorize` sends the browser to the host's page
 * (`interactionUrl(uid)`); the page reads what is asked with `details(uid)`, and hands the
 * outcome to `finish(uid, result)`, which answers the URL to send the browser to. There the
 * engine applies the result in the browser the interaction is bound to (its cookie), sets the
 * session cookie and goes on — to the client, or back to the host's page for the next step.
 */
import type { AuthorizationDetail } from '../core/authorization-details.js';
import { z } from '../util/zod.js';
import { claimsBeyondScopes } from '../core/claims-request.js';
import type { ProviderContext } from '../core/context.js';
import { InvalidRequest } from '../core/errors.js';
import type { ClientRecord, InteractionRecord, InteractionResult } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { saveInteraction } from './interaction.js';
import { displayOf } from './interaction-steps.js';
import type { ClientDisplay, ScopeDisplay } from './pages.js';
import { describeClaims, describeScopes } from './scope-descriptions.js';
import { languageOf, messagesOf } from './language.js';

/** What an interaction asks of the user, for the host's page to show. */
export interface InteractionDetails {
  uid: string;
  /** What is needed now: a login, or the consent of `accountId`. */
  prompt: 'login' | 'consent';
  /** The client asking (RFC 7591 display metadata). */
  client: ClientDisplay;
  /** The requested scopes. */
  scopes: string[];
  /** Claims requested one by one (OIDC Core §5.5) that the scopes do not already release. */
  claims: string[];
  /** Plain-language lines for the consent page: one per scope, then one per claim. */
  descriptions: ScopeDisplay[];
  /** For `prompt: 'consent'`: whose consent is asked. */
  accountId?: string;
  /** The `prompt` values of the request (`login`, `consent`, `select_account`). */
  requestedPrompt: string[];
  loginHint?: string;
  /** `ui_locales` as the request asked. */
  uiLocales?: string;
  /** The language the interaction's pages speak: of the offered (`uiLocales` configuration), the first the request and the browser prefer; `descriptions` are in it. */
  lang?: string;
  /**
   * Requested assurance levels, preferred first (`acr_values`, the `claims` parameter's `acr`,
   * the client's `default_acr_values`); a login names the level it reached in `login.acr`.
   */
  acrValues?: string[];
  /** The levels are required (an essential `acr` claim): a login below them ends the request with `unmet_authentication_requirements`. */
  acrEssential?: boolean;
  /** `max_age`: a login older than this many seconds does not count. */
  maxAge?: number;
  /** RFC 8707: the API the access token will be for. */
  resource?: string;
  /**
   * RFC 9396: what the client asks to do, object by object, as it sent them. The consent is for
   * them all (a consent result grants them whole); show every one.
   */
  authorizationDetails?: AuthorizationDetail[];
  /** True when the user is approving a device (RFC 8628): there is no redirect to the client. */
  device: boolean;
  /** When the interaction expires (seconds since the epoch). */
  expiresAt: number;
  /**
   * A login was held back because the account's address is not confirmed (`requireVerifiedEmail`):
   * the address a link to confirm it went to. Tell the person to open it, then sign in again.
   */
  unconfirmedEmail?: string;
}

/** The host side of the interaction hook: `provider.interactions`. */
export interface Interactions {
  /**
   * What interaction `uid` asks.
   * @throws InvalidRequest when it is unknown, expired or finished.
   */
  details(uid: string): Promise<InteractionDetails>;
  /**
   * Records what the user decided and returns where to send the browser (a 303 to
   * `redirectTo`). Nothing takes effect until that browser arrives there.
   * @throws InvalidRequest naming the problem: an unknown interaction or account, scopes or
   *   claims that were not asked, a malformed result.
   */
  finish(uid: string, result: InteractionResult): Promise<{ redirectTo: string }>;
}

/** A refusal: sent to the client as an error. */
const refusalSchema = z.strictObject({
  error: z.enum(['access_denied', 'login_required', 'consent_required', 'interaction_required', 'account_selection_required', 'unmet_authentication_requirements']),
  error_description: z
    .string()
    .max(500)
    .regex(/^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/, 'must be printable ASCII without " or \\ (RFC 6749 §4.1.2.1)')
    .optional(),
});

/** A login, a consent, or both. */
const decisionSchema = z
  .strictObject({
    login: z
      .strictObject({
        accountId: z.string().min(1).max(255),
        amr: z.array(z.string().min(1).max(64)).max(10).optional(),
        acr: z.string().min(1).max(255).optional(),
      })
      .optional(),
    consent: z
      .strictObject({
        scopes: z.array(z.string()).optional(),
        claims: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .refine((result) => result.login !== undefined || result.consent !== undefined, 'a result needs login, consent or error');

/**
 * Checks the shape of a host's result.
 * @throws InvalidRequest naming the first problem.
 */
function parseResult(input: unknown): InteractionResult {
  const schema = typeof input === 'object' && input !== null && 'error' in input ? refusalSchema : decisionSchema;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as InteractionResult;
  const issue = parsed.error.issues[0]!;
  throw new InvalidRequest(`interaction result${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
}

/** The host side of the interaction hook over `ctx`. */
export function createHostInteractions(ctx: ProviderContext): Interactions {
  async function load(uid: string): Promise<{ id: string; record: InteractionRecord; client: ClientRecord }> {
    const id = uid.length <= 128 ? digestSecret(uid) : '';
    const record = id === '' ? undefined : await ctx.storage.artifacts.find('interaction', id);
    if (!record) throw new InvalidRequest('the interaction is unknown, expired or already finished');
    const client = await ctx.storage.clients.find(record.request.client_id);
    if (!client || client.disabled) throw new InvalidRequest('the application is no longer registered or has been disabled');
    return { id, record, client };
  }

  return {
    async details(uid) {
      const { record, client } = await load(uid);
      const { request } = record;
      const claims = claimsBeyondScopes(request.claims, request.scopes);
      const server = request.resource === undefined ? undefined : await ctx.storage.resourceServers.find(request.resource);
      const prompt = record.prompt ?? 'login';
      return {
        uid,
        prompt,
        client: displayOf(client),
        scopes: [...request.scopes],
        claims,
        descriptions: [...describeScopes(request.scopes, server, messagesOf({ record })), ...describeClaims(claims, messagesOf({ record }))],
        ...(prompt === 'consent' && record.account_sub !== undefined ? { accountId: record.account_sub } : {}),
        requestedPrompt: [...request.prompt],
        ...(request.login_hint === undefined ? {} : { loginHint: request.login_hint }),
        ...languageOf({ record }),
        ...(request.acr_values === undefined ? {} : { acrValues: [...request.acr_values] }),
        ...(request.acr_essential ? { acrEssential: true } : {}),
        ...(request.max_age === undefined ? {} : { maxAge: request.max_age }),
        ...(request.resource === undefined ? {} : { resource: request.resource }),
        ...(request.authorization_details === undefined ? {} : { authorizationDetails: request.authorization_details }),
        device: record.device_code_id !== undefined,
        expiresAt: record.created_at + ctx.config.interactionTtlSeconds,
        ...(record.unconfirmed_email === undefined ? {} : { unconfirmedEmail: record.unconfirmed_email }),
      };
    },

    async finish(uid, input) {
      const result = parseResult(input);
      const { id, record } = await load(uid);
      if ('login' in result && result.login !== undefined && !(await ctx.accounts.findById(result.login.accountId))) {
        throw new InvalidRequest('interaction result.login.accountId: no such account, or it may not sign in');
      }
      if ('consent' in result && result.consent !== undefined) {
        const askedClaims = claimsBeyondScopes(record.request.claims, record.request.scopes);
        const extraScope = result.consent.scopes?.find((scope) => !record.request.scopes.includes(scope));
        if (extraScope !== undefined) throw new InvalidRequest(`interaction result.consent.scopes: ${extraScope} was not requested`);
        const extraClaim = result.consent.claims?.find((name) => !askedClaims.includes(name));
        if (extraClaim !== undefined) throw new InvalidRequest(`interaction result.consent.claims: ${extraClaim} was not requested`);
      }
      await saveInteraction({ uid, id, record: { ...record, result } }, ctx);
      return { redirectTo: `${ctx.urls.interaction(uid)}/resume` };
    },
  };
}
