import type { DeviceDonePageInput, DevicePageInput } from '../interaction/pages.js';
import { ClientLogo, clientName } from './client-header.js';
import { Alert, PostForm } from './form-parts.js';
import { Layout, renderDocument } from './layout.js';
import { NO_BRAND, type Brand } from './brand.js';

/** The device page: one input, `name="user_code"` (public contract). */
export function renderDevicePage(input: DevicePageInput, brand: Brand = NO_BRAND): Promise<string> {
  return renderDocument(
    <Layout brand={brand} title="Connect a device">
      <h1>Connect a device</h1>
      <p class="muted">Enter the code shown on your device.</p>
      <Alert message={input.error} />
      <PostForm action={input.action} csrfToken={input.csrfToken}>
        <label for="user_code">Code</label>
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
          <button type="submit">Continue</button>
        </div>
      </PostForm>
    </Layout>,
  );
}

/** After the decision: the user goes back to the device. */
export function renderDeviceDonePage(input: DeviceDonePageInput, brand: Brand = NO_BRAND): Promise<string> {
  const name = clientName(input.client);
  return renderDocument(
    <Layout brand={brand} title={input.approved ? 'Device connected' : 'Device not connected'}>
      <ClientLogo client={input.client} />
      <h1>{input.approved ? 'Device connected' : 'Device not connected'}</h1>
      <p role="status">
        {input.approved ? `${name} can now continue on your device. You can close this page.` : `${name} was not given access. You can close this page.`}
      </p>
    </Layout>,
  );
}
