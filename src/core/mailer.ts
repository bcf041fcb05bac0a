/**
 * The mails latchkey sends people (a password reset link). The engine only asks for one to be
 * sent; how is the host's — SMTP in the server (`LATCHKEY_SMTP_URL`, server/smtp-mailer.ts),
 * whatever a host application brings to `createProvider({ mailer })`.
 */

/** A mail to one person: plain text. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends latchkey's mails. */
export interface Mailer {
  /** @throws when the mail could not be handed on; latchkey logs it and tells the person nothing more. */
  send(message: MailMessage): Promise<void>;
}
