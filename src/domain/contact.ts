import type { ProductArea, SupportLanguage, SupportTopic } from '../entities/enums';
import type { TicketOrEscalationRef } from './tickets';

/** The plain shapes of contacting support (CON, PHN, ENT) the ticket-create service takes. */

/** What every way of contacting support accepts besides its own details. */
export interface ContactRequest {
  idempotencyKey?: string | null;
  /** FUP-5: earlier tickets or escalations, decoded by the resolver (null where an id is neither). */
  references?: TicketOrEscalationRef[] | null;
  /** CON-2: the topic picked on the contact page; one `supportTopics` offers for the role and product area. */
  topic?: SupportTopic | null;
}

/** CON-6. */
export interface EmailTicketRequest extends ContactRequest {
  productArea: ProductArea;
  language: SupportLanguage;
  subject: string;
  description: string;
  descriptionLanguage?: string | null;
}

/** CON-7, PHN-1. */
export interface PhoneCallbackRequest extends ContactRequest {
  productArea: ProductArea;
  language: SupportLanguage;
  phone: { country: string; number: string; extension?: string | null };
  confirmationEmail?: string | null;
  subject?: string | null;
  recordingConsent?: boolean | null;
}

/** CON-5. */
export interface ChatRequest extends ContactRequest {
  productArea: ProductArea;
  language: SupportLanguage;
  subject: string;
  description?: string | null;
}

/** ENT-3. */
export interface ConferenceCallRequest extends ContactRequest {
  productArea: ProductArea;
  scheduledAt: Date;
  screenShare?: boolean | null;
  description?: string | null;
}

/** The answer to the English fallback offer (PHN-3). */
export enum CallbackLanguageChoice {
  ENGLISH = 'ENGLISH',
  KEEP = 'KEEP',
}

/** PHN-3: `ticketId` is the phone ticket's local id. */
export interface CallbackLanguageAnswer {
  ticketId: number;
  language: CallbackLanguageChoice;
}
