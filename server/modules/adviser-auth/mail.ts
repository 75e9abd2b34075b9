/** Outgoing mail through SMTP (nodemailer) when SMTP_URL is set; otherwise nothing is sent and callers show links. */
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** A mail sender, or null when no SMTP server is configured. */
export function mailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): ((mail: Mail) => Promise<void>) | null {
  if (!config.smtpUrl) return null;
  const transport = nodemailer.createTransport(config.smtpUrl);
  return async (mail) => {
    await transport.sendMail({ from: config.mailFrom, ...mail });
  };
}
