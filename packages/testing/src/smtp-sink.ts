import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait.js';

/** A message the sink received, parsed from the raw SMTP DATA (MIME decoded). */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The envelope's recipients (RCPT TO). */
  envelopeTo: string[];
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port>: the SMTP_URL to send to. */
  url: string;
  received: ReceivedMail[];
  /** The first message to `address` received from now on or already there, waiting up to `timeoutMs`. */
  waitForMail(address: string, options?: { timeoutMs?: number; after?: number }): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free local port that keeps every message it is sent (no TLS, no auth), so
 * tests send through the real SMTP client and read the mail as a recipient would.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            from: mail.from?.text ?? '',
            to: [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? '')),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        })
        .catch(callback);
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitForMail(address, { timeoutMs = 10_000, after = 0 } = {}) {
      const match = () => received.slice(after).find((m) => m.envelopeTo.includes(address.toLowerCase()));
      return waitFor(async () => match(), { timeoutMs, what: `mail to ${address}` });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
