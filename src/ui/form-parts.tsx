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
