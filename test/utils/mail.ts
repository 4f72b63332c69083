import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail the catcher received: the SMTP envelope and the parsed message. */
export interface CaughtMail {
  envelope: { from: string | false; to: string[] };
  mail: ParsedMail;
  raw: Buffer;
}

/** Answers a delivery with an SMTP error code (e.g. 451 to have it retried); undefined accepts it. */
export type SmtpVerdict = (mail: ParsedMail) => number | undefined;

/**
 * A real SMTP server in the test process (`smtp-server`): the hub's delivery worker sends to it over
 * SMTP exactly as to a production relay. Tests wait on `waitFor`, never on time.
 */
export class MailCatcher {
  readonly received: CaughtMail[] = [];
  /** Deliveries answered with an error (attempts the worker must retry or give up). */
  refused = 0;
  verdict: SmtpVerdict = () => undefined;
  private readonly waiters = new Set<() => void>();
  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(): Promise<MailCatcher> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          const mail = await simpleParser(raw);
          const code = catcher.verdict(mail);
          if (code) {
            catcher.refused++;
            catcher.notify();
            return callback(Object.assign(new Error(`refused by the test (${code})`), { responseCode: code }));
          }
          catcher.received.push({
            envelope: { from: session.envelope.mailFrom === false ? false : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) },
            mail,
            raw,
          });
          callback();
          catcher.notify();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    // the server's callbacks run per delivery, after this
    const catcher = new MailCatcher(server, (server.server.address() as AddressInfo).port);
    return catcher;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves with the received mails matching `match` once there are at least `count` of them. */
  waitFor(match: (m: CaughtMail) => boolean, count = 1): Promise<CaughtMail[]> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.received.filter(match);
        if (found.length < count) return;
        this.waiters.delete(check);
        resolve(found);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once `predicate()` holds, re-checked on every delivery or refusal. */
  until(predicate: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Builds a raw MIME mail (RFC 5322) as a customer's mail client would send it. */
export function rawMail(input: {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
}): Buffer {
  const boundary = `b-${Math.random().toString(36).slice(2)}`;
  const head = [
    `From: ${input.from}`,
    `To: ${input.to}`,
    `Subject: ${input.subject}`,
    `Message-ID: ${input.messageId}`,
    `Date: Mon, 02 Nov 2026 15:00:00 +0000`,
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`] : []),
    ...(input.references?.length ? [`References: ${input.references.join(' ')}`] : []),
    ...Object.entries(input.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ];
  const files = input.attachments ?? [];
  if (!files.length) return Buffer.from([...head, 'Content-Type: text/plain; charset=utf-8', '', input.text].join('\r\n'));
  const parts = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    input.text,
    ...files.flatMap((f) => [
      `--${boundary}`,
      `Content-Type: ${f.contentType ?? 'application/octet-stream'}; name="${f.filename}"`,
      `Content-Disposition: attachment; filename="${f.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      f.content.toString('base64').replace(/.{76}/g, '$&\r\n'),
    ]),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from([...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...parts].join('\r\n'));
}
