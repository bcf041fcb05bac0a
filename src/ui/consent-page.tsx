import type { AuthorizationDetail } from '../core/authorization-details.js';
import { messagesFor } from '../i18n/index.js';
import type { ConsentPageInput } from '../interaction/pages.js';
import { ClientLogo, clientName } from './client-header.js';
import { PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/**
 * The consent page: names the client and the account, lists the scopes and every authorization
 * detail (RFC 9396) field by field; buttons Allow and Deny (public contract).
 */
export function renderConsentPage(input: ConsentPageInput, brand: Brand = NO_BRAND): Promise<string> {
  const name = clientName(input.client);
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.consent.title(name)} lang={input.lang}>
      <ClientLogo client={input.client} />
      <h1>{t.consent.title(name)}</h1>
      <p class="muted">
        {t.consent.signedInAs} <strong>{input.account.name ?? input.account.username}</strong>
        {input.account.name ? ` (${input.account.username})` : ''}
      </p>
      <p>{t.consent.asksFor(name)}</p>
      <ul class="scopes">
        {input.scopes.map((scope) => (
          <li>{scope.description}</li>
        ))}
      </ul>
      {input.authorizationDetails === undefined ? null : (
        <div class="authorization-details">
          {input.authorizationDetails.map((detail) => (
            <section class="authorization-detail">
              <h2>{detail.type}</h2>
              <dl>
                {detailFields(detail).map(([name, value]) => (
                  <>
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                  </>
                ))}
              </dl>
            </section>
          ))}
        </div>
      )}
      {input.client.policy_uri || input.client.tos_uri ? (
        <p class="muted">
          {input.client.policy_uri ? (
            <a href={input.client.policy_uri} rel="noopener noreferrer">
              {t.consent.privacyPolicy}
            </a>
          ) : null}
          {input.client.policy_uri && input.client.tos_uri ? ' · ' : ''}
          {input.client.tos_uri ? (
            <a href={input.client.tos_uri} rel="noopener noreferrer">
              {t.consent.termsOfService}
            </a>
          ) : null}
        </p>
      ) : null}
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <div class="actions">
          <button type="submit" name="decision" value="deny" class="secondary">
            {t.consent.deny}
          </button>
          <button type="submit" name="decision" value="allow">
            {t.consent.allow}
          </button>
        </div>
      </PostForm>
    </Layout>,
  );
}

/**
 * An authorization detail's fields but its type, each as the user reads it: a string as it is, a
 * list of strings joined, anything else as JSON. Escaped by JSX like all text.
 */
function detailFields(detail: AuthorizationDetail): [string, string][] {
  return Object.entries(detail)
    .filter(([name]) => name !== 'type')
    .map(([name, value]) => [name, typeof value === 'string' ? value : Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.join(', ') : JSON.stringify(value)]);
}
