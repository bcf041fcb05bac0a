/**
 * latchkey's mails through an SMTP server (`LATCHKEY_SMTP_URL`), with nodemailer: `smtp://` with
 * STARTTLS when the server offers it, `smtps://` with TLS from the start. nodemailer is loaded
 * only when a server is configured: an instance that sends no mail does not carry it.
 */
import type { Mailer } from '../core/mailer.js';

/** A mailer sending through the SMTP server at `url`, from `from`; `close()` ends its connections. */
export async function createSmtpMailer(url: string, from: string): Promise<Mailer & { close(): void }> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}

/** The `From` of latchkey's mails when `LATCHKEY_MAIL_FROM` is unset: no-reply at the issuer's host, named by `brandName` or latchkey. */
export function defaultMailFrom(issuer: string, brandName?: string): string {
  const address = `no-reply@${new URL(issuer).hostname}`;
  // RFC 5322 §3.2.4: the brand's name as a quoted string, whatever punctuation it has.
  return brandName === undefined ? `latchkey <${address}>` : `"${brandName.replace(/["\\]/g, '\\$&')}" <${address}>`;
}
