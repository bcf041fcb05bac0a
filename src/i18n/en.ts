/**
 * English: what latchkey's pages, the messages they show and the mails of a sign-in say. Every
 * other language's catalog has exactly these members (`Messages`); a member that takes values is
 * a function of them, so that each language orders its own words.
 *
 * The accessible names of the controls the public contract names (**Allow**, **Deny**, **Sign
 * in**…) are these English words; they change only where the operator offers another language
 * (`uiLocales`) and the request asks for it.
 */
export const en = {
  /** The language's own name, as a person speaking it writes it. */
  name: 'English',
  logoAlt: 'Logo',

  continueTo: (client: string) => `to continue to ${client}`,
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  backToSignIn: 'Back to sign in',
  continue: 'Continue',

  login: {
    title: 'Sign in',
    withPasskey: 'Sign in with a passkey',
    passkeyOtherwise: 'sign in with your password',
    upstreamNotConnected: (provider: string, email: string | undefined, mayCreate: boolean) =>
      `Your ${provider} account${email ? ` (${email})` : ''} is not connected to an account here yet. Sign in below to connect it${mayCreate ? ', or create a new account with it' : ''}.`,
    createWithUpstream: (provider: string) => `Create a new account with ${provider}`,
    signInWithUpstream: (provider: string) => `Sign in with ${provider}`,
    forgotPassword: 'Forgot your password?',
    noAccount: 'No account yet?',
    createAccount: 'Create an account',
  },

  passkeyFailed: (otherwise: string) => `No passkey was used: the browser's request was cancelled or timed out. Try again, or ${otherwise}.`,

  register: {
    title: 'Create an account',
    nameOptional: 'Name (optional)',
    email: 'Email',
    emailOptional: 'Email (optional)',
    passwordAgain: 'Password again',
    submit: 'Create account',
    haveAccount: 'Have an account?',
  },

  oneTimeCode: {
    title: 'Two-step verification',
    signingInAs: 'Signing in as',
    codeLabel: 'Code from your authenticator app',
    verify: 'Verify',
    lostPhone: 'Lost your phone? Use a recovery code',
    recoveryCodeLabel: 'One of the recovery codes you saved',
    useRecoveryCode: 'Use recovery code',
    usePasskey: 'Use a passkey instead',
    passkeyOtherwise: 'enter the code',
    someoneElse: 'Sign in as someone else',
  },

  forgotPassword: {
    title: 'Reset your password',
    sentByUsernameOrEmail: 'If that is the username or the email address of an account, a link to set a new password is on its way to the account’s address.',
    sentByUsername: 'If that is the username of an account with an email address, a link to set a new password is on its way there.',
    openWithin: (minutes: number) => `Open it in the next ${minutes} minutes.`,
    intro: 'We will send a link to set a new password to the email address of your account.',
    usernameOrEmail: 'Username or email address',
    send: 'Send link',
  },

  resetPassword: {
    title: 'Set a new password',
    titleFirst: 'Set a password',
    done: (username: string) => `The password of ${username} is changed, and every session of the account is signed out.`,
    doneFirst: (username: string) => `The password of ${username} is set, and every session of the account is signed out.`,
    for: 'For',
    newPassword: 'New password',
    newPasswordAgain: 'New password again',
    submit: 'Set password',
    /** Where the page sends the person on: back to the sign-in they began, or to their account. */
    signInWithNew: 'Sign in with the new password',
    signInToAccount: 'Sign in to your account',
  },

  verifyEmail: {
    title: 'Confirm your email address',
    /** Split around the address, shown in bold. */
    confirmedBefore: '',
    confirmedAfter: (username: string) => ` is confirmed as the email address of ${username}.`,
    questionBefore: 'Is ',
    questionAfter: (username: string) => ` the email address of ${username}?`,
    confirm: 'Confirm',
  },

  consent: {
    title: (client: string) => `Allow ${client}?`,
    signedInAs: 'Signed in as',
    asksFor: (client: string) => `${client} asks for:`,
    privacyPolicy: 'Privacy policy',
    termsOfService: 'Terms of service',
    allow: 'Allow',
    deny: 'Deny',
  },

  /** What each standard scope gives the client, on the consent page. */
  scopes: {
    openid: 'Confirm who you are (your account identifier)',
    profile: 'Your basic profile: name, username, picture and locale',
    email: 'Your email address and whether it is verified',
    address: 'Your postal address',
    phone: 'Your phone number',
    groups: 'The groups you belong to',
    offline_access: 'Stay connected when you are not using it (keeps access until you revoke it)',
  },
  /** A scope of an API (RFC 8707 resource), naming that API. */
  apiScope: (scope: string, api: string) => `${scope} at ${api}`,
  /** A claim requested on its own (OIDC Core §5.5), by its plain name below. */
  claim: (name: string) => `Your ${name}`,
  /** Plain names of the standard claims (OIDC Core §5.1). */
  claims: {
    name: 'full name',
    given_name: 'given name',
    family_name: 'family name',
    middle_name: 'middle name',
    nickname: 'nickname',
    preferred_username: 'username',
    profile: 'profile page',
    picture: 'picture',
    website: 'website',
    gender: 'gender',
    birthdate: 'birthdate',
    zoneinfo: 'time zone',
    locale: 'locale',
    updated_at: 'profile update time',
    email: 'email address',
    email_verified: 'whether your email address is verified',
    address: 'postal address',
    phone_number: 'phone number',
    phone_number_verified: 'whether your phone number is verified',
    groups: 'groups',
  },

  device: {
    title: 'Connect a device',
    intro: 'Enter the code shown on your device.',
    code: 'Code',
    connected: 'Device connected',
    notConnected: 'Device not connected',
    connectedText: (client: string) => `${client} can now continue on your device. You can close this page.`,
    notConnectedText: (client: string) => `${client} was not given access. You can close this page.`,
  },

  logout: {
    title: 'Sign out?',
    clientAsks: (client: string) => `${client} asks to sign you out.`,
    question: 'Do you want to sign out?',
    stay: 'Stay signed in',
    signOut: 'Sign out',
    signedOut: 'Signed out',
    stillSignedIn: 'Still signed in',
    signedOutText: 'You have been signed out.',
    stillSignedInText: 'You are still signed in.',
    frameTitle: 'sign-out notification',
  },

  errorPage: {
    title: 'Something went wrong',
    code: 'Error code',
  },

  formPost: {
    noScript: 'JavaScript is off: press Continue to return to the application.',
  },

  /** What the pages say when an attempt is refused. */
  errors: {
    loginIncorrect: 'The username or password is incorrect.',
    tooManyLogins: 'Too many failed sign-in attempts. Wait a few minutes and try again.',
    passkeyRefused: 'That passkey could not sign you in. Try again, or sign in with your password.',
    codeWrong: 'That code is not right, or was used already. Enter the code your app shows now.',
    recoveryCodeWrong: 'That recovery code is not right, or was used already.',
    passwordsDiffer: 'The two passwords differ.',
    passwordTooShort: (min: number) => `Password must have at least ${min} characters.`,
    passwordTooLong: (max: number) => `Password must have at most ${max} characters.`,
    usernameTaken: (username: string) => `Username ${username} is taken.`,
    newPasswordsDiffer: 'The new passwords do not match.',
    newPasswordTooShort: (min: number) => `The new password must have at least ${min} characters.`,
    newPasswordTooLong: (max: number) => `The new password must have at most ${max} characters.`,
    tooManyAccounts: 'Too many accounts were created from your network. Try again later.',
    tooManyResetLinks: 'Too many reset links were asked for from your network. Try again later.',
    tooManyDeviceCodes: 'Too many wrong codes. Wait a few minutes and try again.',
    deviceCodeWrong: 'That code is not valid or has expired. Check the code on your device.',
    upstreamUnreachable: (provider: string) => `${provider} cannot be reached now. Try again later, or sign in another way.`,
    upstreamSignInOver: 'That sign-in is over or was not started here. Try again.',
    upstreamAccountDisabled: 'The account connected to that identity may not sign in.',
    upstreamNoNewAccount: 'No new account can be made of that sign-in. Sign in, or try again.',
    resetLinkUnusable: 'This password reset link does not work any more: it was used, it expired, or the password was changed since. Ask for a new one on the sign-in page.',
    confirmationLinkUnusable: 'This confirmation link does not work any more: it was used, it expired, or the address was changed since. Ask for a new one in your account.',
    /** With requireVerifiedEmail: signing in sends the next link. */
    confirmationLinkUnusableSignIn: 'This confirmation link does not work any more: it was used, it expired, or the address was changed since. Sign in again: a new one goes to your address.',
    confirmEmailFirst: (email: string) => `Confirm your email address first: we sent a link to ${email}. Open it, then sign in again.`,
    emailRequired: 'Enter your email address: we send a link to confirm it.',
  },

  mail: {
    resetSubject: (username: string, host: string, first: boolean) => `Set ${first ? 'a password' : 'a new password'} for ${username} at ${host}`,
    resetText: (username: string, host: string, first: boolean, minutes: number, link: string) =>
      [
        `Someone asked to set ${first ? 'a password' : 'a new password'} for the account ${username} at ${host}.`,
        '',
        `To set one, open this link in the next ${minutes} minutes (it works once):`,
        link,
        '',
        first ? 'If it was not you, ignore this mail: the account stays without a password.' : 'If it was not you, ignore this mail: your password stays as it is.',
      ].join('\n'),
    confirmSubject: (username: string, host: string) => `Confirm your email address for ${username} at ${host}`,
    confirmText: (email: string, username: string, host: string, link: string) =>
      [
        `Please confirm that ${email} is the email address of the account ${username} at ${host}:`,
        link,
        '',
        'The link works once, for a day. If you did not make this account or change its address, ignore this mail.',
      ].join('\n'),
  },

  /**
   * Security notices (accounts/security-notices.ts): `happened` is one of the lines below, `at`
   * the time in UTC, `by` who did it (empty: not said).
   */
  notice: {
    subject: (username: string, host: string) => `Security notice for ${username} at ${host}`,
    text: (username: string, host: string, happened: string, at: string, by: string, advice: string) =>
      [`On the account ${username} at ${host}, ${happened} — on ${at}${by === '' ? '' : `, ${by}`}.`, '', 'If this was you, there is nothing to do.', advice].join('\n'),
    advice: (accountUrl: string) =>
      `If it was not, sign in at ${accountUrl} and change your password (or use "Forgot your password?" on the sign-in page), check your passkeys and two-step verification, and tell your administrator.`,
    deletedAdvice: 'If it was not, tell your administrator at once: the account, its sign-ins and what it had allowed applications are gone, and its username is free for anyone to take.',
    byAccount: 'from the account itself',
    byAdministrator: 'by an administrator',
    passwordChanged: 'the password was changed',
    passwordSetFirst: 'a password was set where the account had none: it now signs in with a password too',
    twoStepEnabled: 'two-step verification was turned on',
    twoStepDisabled: 'two-step verification was turned off: the password alone signs in now',
    recoveryCodesCreated: 'new recovery codes were made (the earlier ones no longer work)',
    recoveryCodeUsed: 'a recovery code was used to sign in, in place of a code from the authenticator app',
    passkeyAdded: (name: string) => `a passkey named "${name}" was added`,
    passkeyRemoved: (name: string) => `the passkey named "${name}" was removed`,
    emailChanged: (previous: string) => `the email address was changed from ${previous} (mail no longer comes here)`,
    newBrowser: (origin: string | undefined) => `someone signed in from a browser this account had not used before${origin === undefined ? '' : ` (${origin})`}`,
    accountDeleted: 'the account was deleted',
  },
};

/** What a language's catalog holds: the members of the English one, each in that language. */
export type Messages = typeof en;
