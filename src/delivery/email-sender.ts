import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { ClaimedEntry } from './outbox-store';
import type { EmailPayload } from './payloads';
import { PermanentDeliveryError, type Sender } from './worker';

/** nodemailer's message options for a stored payload: the same headers on every attempt. */
function messageOf(from: string, payload: EmailPayload) {
  return {
    from,
    replyTo: from,
    to: payload.to,
    cc: payload.cc,
    subject: payload.subject,
    text: payload.text,
    html: payload.html,
    messageId: payload.messageId,
    inReplyTo: payload.inReplyTo,
    references: payload.references,
    headers: payload.headers,
  };
}

/** Sends e-mail through an SMTP relay (`SMTP_URL`); a 5xx answer is permanent, anything else is retried. */
export class SmtpEmailSender implements Sender {
  private readonly transport: Transporter;

  constructor(smtpUrl: string, private readonly from: string) {
    // an attempt must end well inside the worker's 60 s lease, or another instance could start the same one
    this.transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  }

  async send(entry: ClaimedEntry): Promise<void> {
    try {
      await this.transport.sendMail(messageOf(this.from, entry.payload as unknown as EmailPayload));
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500 && code < 600) throw new PermanentDeliveryError((error as Error).message);
      throw error;
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * The embedded default without SMTP_URL: every mail is written as `<outbox id>.eml` under the mail
 * directory, the same MIME an SMTP relay would get, so a developer can open it in a mail client.
 * Writing the same entry again overwrites the same file (at-least-once without duplicates).
 */
export class EmlFileEmailSender implements Sender {
  private readonly transport: Transporter;

  constructor(readonly dir: string, private readonly from: string) {
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  async send(entry: ClaimedEntry): Promise<void> {
    const info = await this.transport.sendMail(messageOf(this.from, entry.payload as unknown as EmailPayload));
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${String(entry.id).padStart(8, '0')}.eml`), info.message as Buffer);
  }

  close(): void {
    this.transport.close();
  }
}
