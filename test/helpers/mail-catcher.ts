/**
 * A real SMTP server on 127.0.0.1 for tests of latchkey's mails (`smtp-server`), every mail it
 * receives read back with `mailparser`: start it, hand latchkey `url` as `LATCHKEY_SMTP_URL`,
 * read `mails`.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './server.js';

export interface MailCatcher {
  /** `smtp://127.0.0.1:PORT`. */
  url: string;
  /** Every mail received, in order. */
  mails: ParsedMail[];
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push(mail);
        callback();
      }, callback);
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}
