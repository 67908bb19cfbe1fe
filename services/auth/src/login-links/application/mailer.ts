export interface OutgoingMail {
  to: string;
  /** The tenant owner's address, so replies reach a person who can help. */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one mail; rejects when the server did not accept it. */
export abstract class Mailer {
  abstract send(mail: OutgoingMail): Promise<void>;
}
