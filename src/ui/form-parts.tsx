import type { Child } from 'hono/jsx';

/** What went wrong with the last attempt, announced to screen readers; nothing without a message. */
export function Alert(props: { message: string | undefined }) {
  return props.message ? (
    <p class="alert" role="alert">
      {props.message}
    </p>
  ) : null;
}

/** A form that POSTs to `action` with the interaction's CSRF token (every form of latchkey's pages carries one). */
export function PostForm(props: { action: string; csrfToken: string; children?: Child }) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="csrf_token" value={props.csrfToken} />
      {props.children}
    </form>
  );
}

/**
 * The input of a code from an authenticator app, with its label: six digits (spaces allowed, as
 * apps show them), the phone's numeric keyboard, autocomplete="one-time-code". Posts `code`.
 */
export function OneTimeCodeInput(props: { id: string; label: string; autofocus?: boolean }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input type="text" id={props.id} name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength={7} required autofocus={props.autofocus ?? false} />
    </>
  );
}
