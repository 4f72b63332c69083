import type { Translate } from '../i18n';

/** CON-1: what an unauthenticated caller can get help with: signing in and creating an account. */
export enum LoginHelpTopic {
  FORGOT_PASSWORD = 'FORGOT_PASSWORD',
  FORGOT_USERNAME = 'FORGOT_USERNAME',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  SINGLE_SIGN_ON = 'SINGLE_SIGN_ON',
  CREATE_ACCOUNT = 'CREATE_ACCOUNT',
}

/** CON-1: the login and account-creation help, texts in the request's language (LANG-1). */
export interface LoginHelp {
  summary: string;
  topics: { code: LoginHelpTopic; title: string; description: string }[];
}

/**
 * CON-1: contacting support requires a signed-in account; without one a caller can only get help
 * with login and account creation. This is that help: the same for everyone, no account data, so it
 * is safe to answer anonymously (`ANY_CALLER_FIELDS`, src/auth/public-callers.ts).
 */
export function loginHelp(t: Translate): LoginHelp {
  return {
    summary: t('loginHelp.summary'),
    topics: Object.values(LoginHelpTopic).map((code) => ({ code, title: t(`loginHelp.topic.${code}.title`), description: t(`loginHelp.topic.${code}.description`) })),
  };
}
