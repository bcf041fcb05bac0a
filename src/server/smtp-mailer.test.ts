/** The default `From` of latchkey's mails: no-reply at the issuer's host, named by the brand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { defaultMailFrom } from './smtp-mailer.js';

/** `from` as nodemailer writes it into a message and mailparser reads it back. */
async function fromHeaderOf(from: string): Promise<{ name: string; address: string | undefined }> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const { message } = await transport.sendMail({ from, to: 'dana@example.test', subject: 's', text: 't' });
  const parsed = await simpleParser(message as Buffer);
  const [first] = parsed.from!.value;
  return { name: first!.name, address: first!.address };
}

test('defaultMailFrom: latchkey at the issuer\'s host; with brandName, that name — whatever its punctuation — as the From\'s display name', async () => {
  assert.equal(defaultMailFrom('https://id.example.com/auth'), 'latchkey <no-reply@id.example.com>');
  assert.deepEqual(await fromHeaderOf(defaultMailFrom('https://id.example.com')), { name: 'latchkey', address: 'no-reply@id.example.com' });
  for (const name of ['Example Accounts', 'Example, Inc. <Accounts>', 'The "Main" Office \\ HQ', 'Zürich Konten']) {
    assert.deepEqual(await fromHeaderOf(defaultMailFrom('https://id.example.com', name)), { name, address: 'no-reply@id.example.com' }, name);
  }
});
