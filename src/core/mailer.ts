import type { Logger } from './context.js';

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

/**
 * Hands `message` to the mailer without waiting for it: a page's answer must not take longer
 * because a mail went out (it would tell that the account exists). A failure is logged.
 */
export function mailInBackground(ctx: { mailer?: Mailer | undefined; logger: Logger }, message: MailMessage, about: { sub: string; purpose: string }): void {
  ctx.mailer?.send(message).catch((error: unknown) => ctx.logger.warn({ err: error, sub: about.sub }, `${about.purpose}: the mail could not be sent`));
}
