import { ArrayMaxSize, IsEmail, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CallbackState, ProductArea, SupportLanguage } from '../../entities/enums';
import { HoursKind, Weekday } from '../../services/opening-hours';
import { ContactMethod, RedirectTarget, SupportTeam, SupportTopic, UnavailableReason } from '../../services/support-hours';
import { CallbackLanguageChoice } from '../../domain/contact';
import { LoginHelpTopic } from '../../services/login-help';
import { TicketInterface } from '../types/ticket.types';
import { UserError } from '../types/user-error';

registerEnumType(ContactMethod, {
  name: 'ContactMethod',
  description: 'A way to reach support.',
  valuesConfig: {
    CHAT: { description: 'Live chat with an agent (CON-5, CHAT-1).' },
    EMAIL: { description: 'An e-mail ticket; asynchronous (CON-6).' },
    PHONE: { description: 'A phone callback request (CON-7, PHN-1).' },
    CONFERENCE: { description: 'A scheduled conference call with a support specialist (ENT-3).' },
  },
});
registerEnumType(UnavailableReason, {
  name: 'ContactUnavailableReason',
  description: 'Why a contact method is not offered now (CON-4).',
  valuesConfig: {
    OUT_OF_HOURS: { description: 'Outside the hours of this method in this language (CON-5, CON-8).' },
    LANGUAGE_NOT_OFFERED: { description: 'Not offered in this language (CON-5, CON-8).' },
    PRODUCT_NOT_COVERED: { description: 'Not offered for this product area (CON-5, ENT-3).' },
    LICENSE: { description: "Not included in the account's license." },
    NOT_SUCCESS_PACKAGE: { description: 'Needs an Enterprise Support seat of a success package (ENT-3).' },
    SEPARATE_TEAM: { description: 'This product area is handled by a separate support team (CON-3: XM Discover / Social Connect).' },
  },
});
registerEnumType(SupportTeam, {
  name: 'SupportTeam',
  description: 'Who answers a request made now.',
  valuesConfig: {
    GENERAL_SUPPORT: { description: 'General technical support (also for seat holders outside Enterprise hours, ENT-4).' },
    ENTERPRISE_SUPPORT: { description: 'The Enterprise Support team (ENT-1, ENT-2).' },
    XM_DISCOVER_SUPPORT: { description: 'The separate XM Discover / Social Connect team (CON-3).' },
  },
});
registerEnumType(RedirectTarget, {
  name: 'SupportRedirectTarget',
  description: 'Who a request may belong to instead of support (CON-2).',
  valuesConfig: {
    BRAND_ADMIN: { description: "The user's brand administrator (license features, account deletion, survey ownership)." },
    ACCOUNT_TEAM: { description: "The brand's account team (purchases, billing, renewals, betas)." },
  },
});
registerEnumType(SupportTopic, {
  name: 'SupportTopic',
  description: 'Topics a user can pick before contacting support (CON-2); `ProductAreaInfo.topics` lists those offered to the viewer per product area.',
  valuesConfig: {
    TECHNICAL_ISSUE: { description: 'Something in the platform does not work as expected.' },
    HOW_TO_QUESTION: { description: 'How to do something in the platform.' },
    LOGIN_AND_ACCOUNT_ACCESS: { description: 'Signing in or account access.' },
    THEME_REQUEST: { description: 'A custom survey theme; brand administrators only, for Survey Platform, Employee Engagement and 360.' },
    OTHER_REQUEST: { description: 'Anything else technical support can help with.' },
  },
});
registerEnumType(LoginHelpTopic, {
  name: 'LoginHelpTopicCode',
  description: 'Sign-in and account-creation help topics (CON-1).',
  valuesConfig: {
    FORGOT_PASSWORD: { description: 'Resetting a forgotten password.' },
    FORGOT_USERNAME: { description: 'Finding a forgotten username.' },
    ACCOUNT_LOCKED: { description: 'A locked or disabled account.' },
    SINGLE_SIGN_ON: { description: "Signing in through the organization's login portal (SSO)." },
    CREATE_ACCOUNT: { description: 'Creating an account or joining an organization’s license.' },
  },
});
registerEnumType(CallbackState, {
  name: 'CallbackState',
  description: 'Where a phone callback request is.',
  valuesConfig: {
    WAITING: { description: 'In the callback queue (PHN-1).' },
    IN_CALL: { description: 'An agent took the request and the call is running.' },
    DONE: { description: 'The agent completed the call (PHN-5).' },
    CANCELLED: { description: 'The user left the queue or the request was closed (PHN-5).' },
  },
});
registerEnumType(Weekday, {
  name: 'Weekday',
  description: 'A day of the week.',
  valuesConfig: {
    SUNDAY: { description: 'Sunday.' },
    MONDAY: { description: 'Monday.' },
    TUESDAY: { description: 'Tuesday.' },
    WEDNESDAY: { description: 'Wednesday.' },
    THURSDAY: { description: 'Thursday.' },
    FRIDAY: { description: 'Friday.' },
    SATURDAY: { description: 'Saturday.' },
  },
});
registerEnumType(HoursKind, {
  name: 'SupportHoursKind',
  description: 'How the hours of a contact method are organised.',
  valuesConfig: {
    ALWAYS: { description: 'Around the clock, every day (24×7).' },
    WEEKLY: { description: 'In the weekly windows listed, in their time zone.' },
    NOT_OFFERED: { description: 'Not offered (in this language).' },
    BY_APPOINTMENT: { description: 'No opening hours: the user books a date and time (conference calls, ENT-3).' },
  },
});

@ObjectType('SupportHoursWindow', { description: 'One recurring opening of a contact method, in local time of its zone.' })
export class SupportHoursWindowType {
  @Field(() => [Weekday], { description: 'The days on which the window opens.' })
  days!: Weekday[];

  @Field({ description: 'Local opening time, "HH:mm" (24-hour clock).' })
  opens!: string;

  @Field({ description: 'Local closing time, "HH:mm"; the window excludes this minute.' })
  closes!: string;

  @Field(() => Int, { description: 'How many days after the opening day it closes: 0 the same day; Enterprise Support (Sunday 17:00 to Friday 17:00) says 5.' })
  closesDaysLater!: number;

  @Field({ description: 'IANA time zone of the local times, e.g. "America/Denver"; daylight saving follows the zone.' })
  timeZone!: string;
}

@ObjectType('SupportHours', { description: 'The hours of one contact method in one language, as data and as a sentence, and where they stand now.' })
export class SupportHoursType {
  @Field(() => HoursKind, { description: 'Around the clock, weekly windows, not offered, or by appointment.' })
  kind!: HoursKind;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the windows; null unless WEEKLY.' })
  timeZone!: string | null;

  @Field(() => [SupportHoursWindowType], { description: 'The weekly windows; empty unless WEEKLY.' })
  windows!: SupportHoursWindowType[];

  @Field({ description: 'Open now (true for ALWAYS and BY_APPOINTMENT, false for NOT_OFFERED).' })
  openNow!: boolean;

  @Field(() => Date, { nullable: true, description: 'When closed: the instant it next opens (render it in the browser zone: "opens Monday 07:00 your time").' })
  opensAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When open in a window: the instant the window closes.' })
  closesAt!: Date | null;

  @Field({ description: 'The hours as one sentence in the answer language (extensions.language), e.g. "Monday–Friday, 07:00–16:30 (Mountain Time)".' })
  summary!: string;
}

export { CallbackLanguageChoice };
registerEnumType(CallbackLanguageChoice, {
  name: 'CallbackLanguageChoice',
  description: 'The answer to the English fallback offer (PHN-3).',
  valuesConfig: { ENGLISH: { description: 'Switch to the (faster) English queue.' }, KEEP: { description: 'Keep waiting for a callback in the requested language.' } },
});

@ObjectType('ContactMethodOption', { description: 'One contact method and whether it can be used now (CON-4).' })
export class ContactMethodOptionType {
  @Field(() => ContactMethod, { description: 'The method.' })
  method!: ContactMethod;

  @Field({ description: 'Usable now.' })
  available!: boolean;

  @Field(() => UnavailableReason, { nullable: true, description: 'Why not, when unavailable.' })
  unavailableReason!: UnavailableReason | null;

  @Field(() => Int, { nullable: true, description: 'Estimated wait in minutes: chat from the configured default, phone from the callback queue (PHN-2); null for e-mail and conference calls.' })
  estimatedWaitMinutes!: number | null;

  @Field(() => SupportTeam, { description: 'Who answers a request made now (ENT-4).' })
  handledBy!: SupportTeam;

  @Field(() => String, { nullable: true, description: 'The label "Enterprise Support" on channels that team serves for seat holders (ENT-1).' })
  enterpriseSupport!: string | null;

  @Field({ description: 'Recommended for urgent problems (ENT-2: phone for Enterprise Support).' })
  recommendedForUrgent!: boolean;

  @Field({ description: 'Hours of this method in the requested support language, as one sentence in the answer language (for seat holders with the Enterprise Support hours).' })
  hours!: string;

  @Field({ description: 'The name of the method in the answer language ("Chat", "Telefon", …).' })
  label!: string;

  @Field(() => SupportHoursType, { description: 'The hours this method follows in the requested support language, as data (issue 17).' })
  schedule!: SupportHoursType;

  @Field(() => SupportHoursType, { nullable: true, description: 'ENT-2: for seat holders, when Enterprise Support serves this method (e-mail and phone); null otherwise.' })
  enterpriseSchedule!: SupportHoursType | null;

  @Field(() => String, { nullable: true, description: 'Why the method is unavailable, as a sentence in the answer language (with the next opening when it is only closed); null when available.' })
  unavailableMessage!: string | null;

  @Field(() => Date, { nullable: true, description: 'Now when usable now; the next opening when only the hours stand in the way (OUT_OF_HOURS); null otherwise.' })
  nextAvailableAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'CON-8, e-mail only: an e-mail sent now is accepted although support in this language is outside its hours; this is when it is picked up. Null when answered in hours.' })
  pickUpAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'CON-8: the sentence that says when an e-mail sent now is picked up, in the answer language; null with pickUpAt.' })
  pickUpNotice!: string | null;
}

@ObjectType('SupportTopicOption', { description: 'A topic to pick before contacting support, with its texts in the answer language (CON-2).' })
export class SupportTopicOptionType {
  @Field(() => SupportTopic, { description: 'The topic code.' })
  topic!: SupportTopic;

  @Field({ description: 'Name to show.' })
  label!: string;

  @Field({ description: 'What the topic is for.' })
  description!: string;
}

@ObjectType('ProductAreaRouting', { description: 'Who answers a product area’s requests (CON-3).' })
export class ProductAreaRoutingType {
  @Field(() => SupportTeam, { description: 'The team that answers: technical support, or XM Discover support for XM Discover / Social Connect.' })
  team!: SupportTeam;

  @Field({ description: 'A separate team answers: requests are not filed here; send the user to `url`.' })
  separateTeam!: boolean;

  @Field(() => String, { nullable: true, description: 'Where to go, as a sentence in the answer language; null unless `separateTeam`.' })
  message!: string | null;

  @Field(() => String, { nullable: true, description: 'The separate team’s support site (configured by `XM_DISCOVER_SUPPORT_URL`); null unless `separateTeam`.' })
  url!: string | null;
}

@ObjectType('ProductAreaInfo', { description: 'A product area with its name and description in the answer language (CON-3).' })
export class ProductAreaInfoType {
  @Field(() => ProductArea, { description: 'The product area code.' })
  code!: ProductArea;

  @Field({ description: 'Name to show; product names stay as they are ("XM Directory", "Stats iQ").' })
  name!: string;

  @Field({ description: 'What the area covers (shown on hover on the contact page).' })
  description!: string;

  @Field({ description: 'CON-3: requests go straight to a separate support team (XM Discover / Social Connect); `routing` says where.' })
  routedToSeparateTeam!: boolean;

  @Field(() => [SupportTopicOptionType], { description: 'CON-2: the topics the viewer can pick for this area (by role: brand admins can also file theme requests where surveys are built); empty where a separate team takes the requests.' })
  topics!: SupportTopicOptionType[];

  @Field(() => ProductAreaRoutingType, { description: 'CON-3: who answers requests of this area, and where to go when it is a separate team.' })
  routing!: ProductAreaRoutingType;
}

@ObjectType('LoginHelpTopic', { description: 'One kind of sign-in or account-creation help (CON-1), texts in the answer language.' })
export class LoginHelpTopicType {
  @Field(() => LoginHelpTopic, { description: 'The topic code.' })
  code!: LoginHelpTopic;

  @Field({ description: 'Title to show.' })
  title!: string;

  @Field({ description: 'What to do.' })
  description!: string;
}

@ObjectType('LoginHelp', { description: 'CON-1: the help available without signing in: login and account creation.' })
export class LoginHelpType {
  @Field({ description: 'Why signing in is needed to contact support, and what help there is without it.' })
  summary!: string;

  @Field(() => [LoginHelpTopicType], { description: 'The sign-in and account-creation topics.' })
  topics!: LoginHelpTopicType[];
}

@ObjectType('ContactMethodHours', { description: 'The hours of one contact method in one support language.' })
export class ContactMethodHoursType {
  @Field(() => ContactMethod, { description: 'The method.' })
  method!: ContactMethod;

  @Field({ description: 'The name of the method in the answer language.' })
  label!: string;

  @Field(() => SupportHoursType, { description: 'Its hours in this support language, and where they stand now.' })
  schedule!: SupportHoursType;
}

@ObjectType('SupportLanguageHours', { description: 'When support speaks one language, method by method (CON-5, CON-6, CON-8).' })
export class SupportLanguageHoursType {
  @Field(() => SupportLanguage, { description: 'The support language.' })
  language!: SupportLanguage;

  @Field(() => [ContactMethodHoursType], { description: 'Chat, e-mail, phone and conference calls. Chat in Spanish is for Survey Platform only (CON-5).' })
  methods!: ContactMethodHoursType[];
}

@ObjectType('SupportRedirectAdvice', { description: 'Check first whether the request belongs elsewhere (CON-2).' })
export class RedirectAdviceType {
  @Field(() => RedirectTarget, { description: 'Brand administrator (standard users) or account team (brand admins).' })
  checkWith!: RedirectTarget;

  @Field({ description: 'Advice to show, in the answer language.' })
  message!: string;

  @Field(() => [String], { description: 'Typical requests that belong there, in the answer language.' })
  examples!: string[];
}

@ObjectType('PhoneCountry', { description: 'A country the phone request can use; picking it adds the calling code (CON-7).' })
export class PhoneCountryType {
  @Field({ description: 'ISO 3166-1 alpha-2 code.' })
  code!: string;

  @Field({ description: 'International calling code without "+", e.g. "39".' })
  callingCode!: string;
}

@ObjectType('SupportOptions', { description: 'How the viewer can contact support now, for a product area and language (CON-2…8, ENT-1…3).' })
export class SupportOptionsType {
  @Field(() => ProductArea, { description: 'The product area asked about.' })
  productArea!: ProductArea;

  @Field(() => SupportLanguage, { description: 'The language asked about.' })
  language!: SupportLanguage;

  @Field(() => [ContactMethodOptionType], { description: 'Chat, e-mail, phone and conference call, each with availability now.' })
  methods!: ContactMethodOptionType[];

  @Field({ description: 'The viewer holds an Enterprise Support seat (ENT-1).' })
  enterpriseSeat!: boolean;

  @Field(() => ProductAreaInfoType, { description: 'The product area asked about, with its name and description in the answer language.' })
  productAreaInfo!: ProductAreaInfoType;

  @Field(() => String, { nullable: true, description: 'Set when the product area is handled by a separate team (CON-3): where to go, in the answer language.' })
  routedToSeparateTeam!: string | null;

  @Field(() => RedirectAdviceType, { description: 'Role-specific advice shown before contacting support (CON-2).' })
  advice!: RedirectAdviceType;

  @Field(() => [SupportTopic], { description: 'Topics for the viewer’s role (CON-2).' })
  topics!: SupportTopic[];

  @Field(() => [SupportTopicOptionType], { description: 'The same topics with their label and description in the answer language (CON-2).' })
  topicOptions!: SupportTopicOptionType[];

  @Field(() => [PhoneCountryType], { description: 'Countries for the phone request (CON-7).' })
  phoneCountries!: PhoneCountryType[];
}

/** FUP-5: how many earlier tickets or escalations one request may reference. */
export const MAX_REFERENCES = 10;

const IDEMPOTENCY_DESCRIPTION = 'Client-chosen key; retrying with the same key returns the first ticket instead of creating another.';

/** What every way of contacting support accepts besides its own details. */
@InputType({ description: "What every way of contacting support accepts besides its own details." })
abstract class ContactRequestInput {
  @Field(() => String, { nullable: true, description: IDEMPOTENCY_DESCRIPTION })
  @IsOptional()
  @Length(1, 100)
  idempotencyKey?: string | null;

  @Field(() => [ID], { nullable: true, description: 'FUP-5: earlier tickets or escalations (global ids) this request refers to; at most 10, each visible to the viewer.' })
  @IsOptional()
  @ArrayMaxSize(MAX_REFERENCES)
  references?: string[] | null;

  @Field(() => SupportTopic, { nullable: true, description: 'CON-2: the topic picked on the contact page, one of `ProductAreaInfo.topics` for this product area; stored on the ticket. Another topic is a userError INVALID / TOPIC_NOT_OFFERED.' })
  topic?: SupportTopic | null;
}

@InputType({ description: 'Open an e-mail ticket (CON-6).' })
export class CreateEmailTicketInput extends ContactRequestInput {
  @Field(() => ProductArea, { description: 'Product area (CON-3).' })
  productArea!: ProductArea;

  @Field(() => SupportLanguage, { defaultValue: SupportLanguage.ENGLISH, description: 'Support language (CON-8).' })
  language!: SupportLanguage;

  @Field({ description: 'Subject line.' })
  @Length(1, 300)
  subject!: string;

  @Field({ description: 'Description of the problem, stored as written (HIST-6).' })
  @Length(1, 50_000)
  description!: string;

  @Field(() => String, { nullable: true, description: 'BCP-47 tag of the description; defaults from the support language.' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/)
  descriptionLanguage?: string | null;
}

@InputType({ description: 'The number to call back (CON-7).' })
export class PhoneNumberInput {
  @Field({ description: 'ISO 3166-1 alpha-2 country picked from `supportOptions.phoneCountries`; gives the calling code.' })
  @Length(2, 2)
  country!: string;

  @Field({ description: 'The number, national or international format.' })
  @Length(3, 30)
  number!: string;

  @Field(() => String, { nullable: true, description: 'Extension, digits only.' })
  @IsOptional()
  @Matches(/^\d{1,10}$/)
  extension?: string | null;
}

@InputType({ description: 'Ask for a phone callback (CON-7, PHN-1).' })
export class RequestPhoneCallbackInput extends ContactRequestInput {
  @Field(() => ProductArea, { description: 'Product area (CON-3).' })
  productArea!: ProductArea;

  @Field(() => SupportLanguage, { defaultValue: SupportLanguage.ENGLISH, description: 'Support language; picks the queue (PHN-2).' })
  language!: SupportLanguage;

  @Field(() => PhoneNumberInput, { description: 'Number to call.' })
  phone!: PhoneNumberInput;

  @Field(() => String, { nullable: true, description: "Where the confirmation goes; defaults to the account's e-mail." })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  confirmationEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'Short subject, also the description in the history; defaults to "Phone call – <username>" (HIST-7).' })
  @IsOptional()
  @Length(1, 300)
  subject?: string | null;

  @Field({ defaultValue: true, description: 'Consent to call recording; on unless unticked.' })
  recordingConsent!: boolean;
}

@InputType({ description: 'Start a chat (CON-5); only while chat is available.' })
export class StartChatInput extends ContactRequestInput {
  @Field(() => ProductArea, { description: 'Product area (CON-3).' })
  productArea!: ProductArea;

  @Field(() => SupportLanguage, { defaultValue: SupportLanguage.ENGLISH, description: 'English, or Spanish for Survey Platform.' })
  language!: SupportLanguage;

  @Field({ description: 'Subject line.' })
  @Length(1, 300)
  subject!: string;

  @Field({ defaultValue: '', description: 'What the chat is about.' })
  @Length(0, 50_000)
  description!: string;
}

@InputType({ description: 'Schedule a conference call with a support specialist (ENT-3).' })
export class ScheduleConferenceCallInput extends ContactRequestInput {
  @Field(() => ProductArea, { description: 'Product area (only some are offered).' })
  productArea!: ProductArea;

  @Field({ description: 'Start of the call; must be in the future.' })
  scheduledAt!: Date;

  @Field({ defaultValue: false, description: 'Screen share requested.' })
  screenShare!: boolean;

  @Field({ defaultValue: '', description: 'What the team wants to discuss.' })
  @Length(0, 50_000)
  description!: string;
}

@ObjectType('CreateTicketPayload', { description: 'Result of a create mutation: the ticket, or why nothing was created.' })
export class CreateTicketPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The created ticket (or the first one, on an idempotent retry).' })
  ticket?: object | null;

  @Field(() => UnavailableReason, { nullable: true, description: 'When refused because the method is not available now, why.' })
  unavailableReason?: UnavailableReason | null;

  @Field(() => Date, { nullable: true, description: 'CON-8, e-mail: accepted outside the support language’s hours; when support picks it up. Null when answered in hours.' })
  pickUpAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'CON-8: the sentence that says when the e-mail is picked up, in the answer language.' })
  pickUpNotice?: string | null;

  @Field(() => ID, { nullable: true, description: 'The `eventId` of the TICKET_UPDATED (CREATED) event this mutation recorded; subscribe with `after:` it to get exactly the later changes. Null when it recorded none (a retry with the same `idempotencyKey`, a userError).' })
  eventId?: string | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('CallbackQueueStatus', { description: 'A phone request in its callback queue (PHN-1…3).' })
export class CallbackQueueStatusType {
  @Field(() => CallbackState, { description: 'WAITING until the call starts.' })
  state!: CallbackState;

  @Field(() => SupportLanguage, { description: 'Queue language.' })
  language!: SupportLanguage;

  @Field(() => ProductArea, { description: 'Queue product area.' })
  productArea!: ProductArea;

  @Field(() => Int, { nullable: true, description: '1 = next to be called; null once the call started.' })
  position!: number | null;

  @Field(() => Int, { nullable: true, description: "Estimated wait in minutes, from the queue's recent handle times (PHN-2)." })
  estimatedWaitMinutes!: number | null;

  @Field({ description: 'PHN-3: English is offered because this language has limited coverage and the wait is much longer.' })
  englishFallbackOffered!: boolean;

  @Field(() => Int, { nullable: true, description: 'Estimated wait in the English queue, when compared.' })
  englishEstimatedWaitMinutes!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'The user’s answer: true = switched to English, false = kept their language, null = not answered.' })
  englishFallbackAccepted!: boolean | null;
}

@InputType({ description: 'Answer the English fallback offer (PHN-3).' })
export class ChooseCallbackLanguageInput {
  @Field(() => ID, { description: 'The phone ticket.' })
  ticketId!: string;

  @Field(() => CallbackLanguageChoice, { description: 'ENGLISH or KEEP.' })
  language!: CallbackLanguageChoice;
}

@ObjectType('ChooseCallbackLanguagePayload', { description: 'Result of chooseCallbackLanguage.' })
export class ChooseCallbackLanguagePayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The phone ticket.' })
  ticket?: object | null;

  @Field(() => CallbackQueueStatusType, { nullable: true, description: 'The queue status after the choice.' })
  callbackStatus?: CallbackQueueStatusType | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Verify the account on a ticket forwarded to Enterprise Support (ENT-5).' })
export class VerifyEnterpriseAccountInput {
  @Field(() => ID, { description: 'The forwarded ticket.' })
  ticketId!: string;

  @Field({ description: 'Whether Enterprise Support may access the account.' })
  allowEnterpriseAccess!: boolean;
}

@ObjectType('EnterpriseVerification', { description: 'ENT-5: the verification state of a ticket forwarded to Enterprise Support.' })
export class EnterpriseVerificationType {
  @Field({ description: 'Handled by Enterprise Support.' })
  enterprise!: boolean;

  @Field({ description: 'Waiting for the user to verify ("Verify & Confirm"); nobody acts on it until then.' })
  awaitingVerification!: boolean;

  @Field(() => Boolean, { nullable: true, description: 'The user’s answer: whether Enterprise Support may access the account.' })
  enterpriseAccessAllowed!: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When the user verified.' })
  verifiedAt!: Date | null;
}

@ObjectType('VerifyEnterpriseAccountPayload', { description: 'Result of verifyEnterpriseAccount.' })
export class VerifyEnterpriseAccountPayload {
  @Field(() => TicketInterface, { nullable: true, description: 'The ticket.' })
  ticket?: object | null;

  @Field(() => EnterpriseVerificationType, { nullable: true, description: 'The recorded verification.' })
  verification?: EnterpriseVerificationType | null;

  @Field(() => [UserError], { description: 'Fixable problems; empty on success.' })
  userErrors!: UserError[];
}
