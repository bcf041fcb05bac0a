import type { DeviceDonePageInput, DevicePageInput } from '../interaction/pages.js';
import { messagesFor } from '../i18n/index.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The device page: one input, `name="user_code"` (public contract). */
export function renderDevicePage(input: DevicePageInput, brand: Brand = NO_BRAND): Promise<string> {
  const t = messagesFor(input.lang);
  return renderDocument(
    <Layout brand={brand} title={t.device.title} lang={input.lang}>
      <h1>{t.device.title}</h1>
      <p class="muted">{t.device.intro}</p>
      <Alert message={input.error} />
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <label for="user_code">{t.device.code}</label>
        <input
          type="text"
          id="user_code"
          name="user_code"
          autocomplete="one-time-code"
          autocapitalize="characters"
          spellcheck={false}
          required
          placeholder="XXXX-XXXX"
          value={input.userCode ?? ''}
          autofocus
        />
        <div class="actions">
          <button type="submit">{t.continue}</button>
        </div>
      </PostForm>
    </Layout>,
  );
}

/** After the decision: the user goes back to the device. */
export function renderDeviceDonePage(input: DeviceDonePageInput, brand: Brand = NO_BRAND): Promise<string> {
  const name = clientName(input.client);
  const t = messagesFor(input.lang);
  const title = input.approved ? t.device.connected : t.device.notConnected;
  return renderDocument(
    <Layout brand={brand} title={title} lang={input.lang}>
      <ClientLogo client={input.client} />
      <h1>{title}</h1>
      <p role="status">{input.approved ? t.device.connectedText(name) : t.device.notConnectedText(name)}</p>
    </Layout>,
  );
}
