import express, { type Express } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { InboundMailService, InboundOutcome } from './inbound.service';

/** Largest inbound mail accepted (5 attachments of 500 KB, base64-encoded, plus text). */
export const MAX_INBOUND_MAIL_BYTES = 5 * 1024 * 1024;

/** Counts what inbound mail became (metrics and tests wait on it). */
export type InboundListener = (outcome: InboundOutcome) => void;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * CON-9: `POST /inbound/mail`, how mail providers forward inbound mail: the raw MIME message as the
 * body (any content type, e.g. `message/rfc822`), `Authorization: Bearer <INBOUND_MAIL_SECRET>`.
 * Answers 202 with what became of it; refused mails are answered by a bounce, not by an HTTP error.
 */
export function mountInboundWebhook(app: Express, service: InboundMailService, secret: string | undefined, onOutcome: InboundListener): void {
  app.post('/inbound/mail', express.raw({ type: () => true, limit: MAX_INBOUND_MAIL_BYTES }), async (req, res) => {
    if (!secret) {
      res.status(404).json({ error: { code: 'INBOUND_WEBHOOK_DISABLED', message: 'Set INBOUND_MAIL_SECRET to accept inbound mail over HTTP.' } });
      return;
    }
    const header = req.header('authorization') ?? '';
    const given = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
    if (!sameSecret(given, secret)) {
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Send Authorization: Bearer <INBOUND_MAIL_SECRET>.' } });
      return;
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      res.status(400).json({ error: { code: 'EMPTY_MESSAGE', message: 'Send the raw MIME message as the request body.' } });
      return;
    }
    try {
      const outcome = await service.receive(req.body);
      onOutcome(outcome);
      res.status(202).json(outcome);
    } catch {
      res.status(503).json({ error: { code: 'INBOUND_UNAVAILABLE', message: 'The message could not be processed now; retry later.' } });
    }
  });
}

/**
 * CON-9: the inbound SMTP listener (`INBOUND_SMTP_PORT`), behind the MX that receives the hub's
 * reply address. Accepts mail for the hub's domain only; a refused reply is still accepted (250) and
 * answered by a bounce; a failure of ours answers 451 so the sending server retries later.
 */
export async function startInboundSmtp(service: InboundMailService, opts: { port: number; domain: string; onOutcome: InboundListener }): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_INBOUND_MAIL_BYTES,
    banner: 'Customer Success Hub inbound mail',
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!address.address.toLowerCase().endsWith(`@${opts.domain}`)) {
        const error = new Error(`Mail for ${address.address} is not accepted here`) as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const error = new Error('Message too large') as Error & { responseCode: number };
          error.responseCode = 552;
          return callback(error);
        }
        const mailFrom = session.envelope.mailFrom === false ? false : session.envelope.mailFrom.address;
        service.receive(Buffer.concat(chunks), { mailFrom }).then(
          (outcome) => {
            opts.onOutcome(outcome);
            callback();
          },
          () => {
            const error = new Error('Temporary failure, try again later') as Error & { responseCode: number };
            error.responseCode = 451;
            callback(error);
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '0.0.0.0', () => resolve());
  });
  server.on('error', () => undefined);
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
