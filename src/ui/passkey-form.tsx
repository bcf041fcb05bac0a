import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { PASSKEY_SCRIPT } from './passkey-script.js';

/**
 * A form that asks the browser for a passkey (`get`: sign in with one; `create`: make one) and
 * POSTs what the authenticator answered as `credential`, with `csrf_token`.
 * Hidden until the page's script finds WebAuthn in the browser; `failed` is shown when the person
 * cancels or the authenticator fails.
 */
export function PasskeyForm(props: { mode: 'get' | 'create'; action: string; options: string; csrfToken: string; failed: string; children?: Child }) {
  return (
    <form method="post" action={props.action} data-passkey={props.mode} data-options={props.options} data-failed={props.failed} hidden>
      <input type="hidden" name="csrf_token" value={props.csrfToken} />
      <input type="hidden" name="credential" value="" />
      <p class="alert" role="alert" data-passkey-note hidden></p>
      {props.children}
    </form>
  );
}

/** The script that runs every `PasskeyForm` of the page: once per page, after its forms. */
export function PasskeyScript() {
  return <script>{raw(PASSKEY_SCRIPT)}</script>;
}

/**
 * A page's "sign in with a passkey" (the login page's, the code page's): the form, its one
 * button named `label`, and the script; `failed` is shown when no passkey was used.
 */
export function PasskeySignIn(props: { passkey: { action: string; options: string }; csrfToken: string; label: string; failed: string }) {
  return (
    <>
      <PasskeyForm mode="get" action={props.passkey.action} options={props.passkey.options} csrfToken={props.csrfToken} failed={props.failed}>
        <div class="actions">
          <button type="submit" class="secondary">
            {props.label}
          </button>
        </div>
      </PasskeyForm>
      <PasskeyScript />
    </>
  );
}
