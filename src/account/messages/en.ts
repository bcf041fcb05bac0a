/**
 * English: what the account console says — its pages, the notices after an action and the
 * reasons an action is refused. Every other language's console catalog has exactly these members
 * (`AccountMessages`); a member that takes values is a function of them, so that each language
 * orders its own words. The words the console shares with the sign-in (a new password's rules,
 * what a scope means) come from the sign-in's catalogs (`src/i18n/`).
 */
export const accountEn = {
  /** What the last action did, by the key it redirects with (`?notice=`). */
  notices: {
    'profile-saved': 'Your profile is saved.',
    'profile-unchanged': 'Nothing to save: your profile is as it was.',
    'language-saved': 'Your language is saved: this account console and your security notices speak it.',
    'language-unchanged': 'Nothing to save: that was your language already.',
    'password-changed': 'Your password is changed.',
    'password-changed-elsewhere-ended': 'Your password is changed, and you are signed out everywhere else.',
    'password-set': 'Your password is set: it signs you in here too.',
    'password-set-elsewhere-ended': 'Your password is set, and you are signed out everywhere else.',
    'application-removed': 'The application no longer has access. It will ask you again if you use it.',
    'application-not-found': 'That application had no access to remove.',
    'session-ended': 'The session is ended.',
    'other-sessions-ended': 'Every other session is ended: only this browser is signed in.',
    'session-not-found': 'That session had already ended.',
    'two-step-on': 'Two-step verification is on: signing in asks for a code from your app.',
    'two-step-off': 'Two-step verification is off.',
    'profile-saved-confirm-email': 'Your profile is saved. To confirm your new email address, open the link we sent to it.',
    'email-change-pending': 'Saved. Your new email address takes effect when you open the link we sent to it; until then your account keeps the address it has.',
    'confirmation-sent': 'We sent a link to your email address: open it to confirm the address.',
    'confirmation-not-sent': 'No link was sent: your address is confirmed already, or a link went out less than a minute ago.',
    'recovery-codes-created': 'You have new recovery codes; the earlier ones no longer work.',
    'passkey-added': 'Your passkey is added: the sign-in page offers "Sign in with a passkey".',
    'passkey-removed': 'The passkey is removed: it no longer signs you in. Delete it from your device too.',
    'passkey-not-found': 'That passkey had already been removed.',
    'passkeys-unavailable': 'Passkeys cannot be added at this address.',
    'upstream-disconnected': 'That sign-in is disconnected: signing in there no longer signs you in here.',
    'upstream-not-found': 'That sign-in was not connected to your account.',
    'upstream-connected': 'Connected: signing in there now signs you in here too.',
    'upstream-taken': 'That account there is connected to another account here, and stays so: nothing was connected.',
    'upstream-not-connected': 'Nothing was connected: you did not sign in there.',
    'upstream-failed': 'Connecting did not work. Try again later.',
    'upstream-unavailable': 'That sign-in is not offered.',
  },

  /** Pages that say one thing and offer one way on. */
  message: {
    tooLargeTitle: 'Too large',
    tooLarge: 'The form is too large.',
    signedInTitle: 'Signed in',
    signedIn: 'You are signed in.',
    continueToAccount: 'Continue to your account',
    signInFailedTitle: 'Sign-in failed',
    signInFailed: (reason: string) => `Sign-in failed: ${reason}.`,
    /** The reason a console sign-in fails when its answer comes to a browser that did not start it, or too late. */
    signInNotStarted: 'this sign-in was not started in this browser, or it has expired; start again',
    signInAgain: 'Sign in again',
    signedOutTitle: 'Signed out',
    signedOut: 'You are signed out.',
    deletedTitle: 'Account deleted',
    deleted: (username: string) => `The account ${username} is deleted: every application lost its access and every session ended.`,
    formRefusedTitle: 'Form refused',
    formRefused: 'This form did not come from your current account session (it may have expired, or come from another site). Nothing was changed. Go back, reload the page and try again.',
    backToAccount: 'Back to your account',
    notFoundTitle: 'Not found',
    notFound: 'There is no such page in your account.',
    yourAccount: 'Your account',
    failedTitle: 'Something went wrong',
    failed: (requestId: string) => `Your account could not complete the request (request id ${requestId}). Nothing was changed.`,
  },

  /** Why an action was refused: nothing was changed. */
  refused: {
    nameTooLong: (most: number) => `full name is longer than ${most} characters`,
    givenNameTooLong: (most: number) => `given name is longer than ${most} characters`,
    familyNameTooLong: (most: number) => `family name is longer than ${most} characters`,
    emailNotValid: 'email is not a valid address',
    emailTooLong: (most: number) => `email is longer than ${most} characters`,
    /** The profile's problems, each as above, in one sentence. */
    profileProblems: (problems: readonly string[]) => `${problems.join('; ')}.`,
    languageNotOffered: 'That language is not offered here.',
    currentPasswordWrong: 'The current password is wrong.',
    passwordWrong: 'The password is wrong.',
    tooManyPasswords: 'Too many wrong passwords. Wait a while and try again.',
    codeWrong: 'That code is not right. Enter the code your app shows now.',
    tooManyCodes: 'Too many wrong codes. Wait a while and try again.',
    confirmDeletion: 'Tick the box to confirm that your account is to be deleted.',
    onlyWayIn: 'Add a passkey first: this is your only way to sign in.',
    setupExpired: 'This setup is not valid any more: scan the new code.',
    tooManyPasskeys: (most: number) => `You have ${most} passkeys, as many as an account may keep: remove one first.`,
    passkeyNotAdded: 'The passkey could not be added: the browser\'s answer was not valid, or came too late. Try again.',
    passkeyKnown: 'You have this passkey already.',
  },

  /** The overview, `GET /account`. */
  overview: {
    title: 'Your account',
    signedInAs: 'Signed in as',
    profile: 'Profile',
    fullName: 'Full name',
    givenName: 'Given name',
    familyName: 'Family name',
    email: 'Email',
    saveProfile: 'Save profile',
    sendConfirmation: 'Send a confirmation link',
    noEmail: 'No email address.',
    emailVerified: 'Your email address is verified.',
    emailUnverifiedLinkMailed: 'Your email address is not verified yet: open the link we mail to it. A new address gets a new link.',
    emailUnverified: 'Your email address is not verified. Changing it leaves it unverified.',
    groups: (groups: string) => `Your groups (set by an administrator): ${groups}`,

    password: 'Password',
    noPassword: 'None: you sign in another way (a connected sign-in, a passkey).',
    setPassword: 'Set a password',
    changePassword: 'Change password',

    twoStep: 'Two-step verification',
    twoStepOff: 'Off: your password alone signs you in.',
    setUpAuthenticator: 'Set up an authenticator app',
    twoStepOnSince: (when: string) => `On since ${when}: signing in asks for a code from your authenticator app.`,
    recoveryCodes: 'Recovery codes',
    noRecoveryCodesLeft: 'None left: get new ones, so that a lost phone does not lock you out.',
    recoveryCodesLeft: (count: number) => `${count} left. Each signs you in once in place of a code from your app, if you lose your phone. New ones replace them all.`,
    codeForNewRecoveryCodes: 'Code from your app, for new recovery codes',
    getNewRecoveryCodes: 'Get new recovery codes',
    turnItOff: 'Turn it off',
    codeToTurnOff: 'Code from your app, or a recovery code, to turn it off',
    turnOffTwoStep: 'Turn off two-step verification',

    passkeys: 'Passkeys',
    noPasskeys: 'None yet. A passkey signs you in with your device\'s screen lock (a fingerprint, your face, a PIN) instead of your password and code, and cannot be phished.',
    somePasskeys: 'Sign in with one of these instead of your password and code.',
    /** A passkey's line: where it is kept, when it was added, when it last signed in (undefined: never). */
    passkeyLine: (synced: boolean, added: string, lastUsed: string | undefined) =>
      `${synced ? 'synced to your other devices' : 'kept on one device'}; added ${added}${lastUsed === undefined ? '; not used yet' : `; last used ${lastUsed}`}`,
    removePasskey: (name: string) => `Remove the passkey ${name}`,
    remove: 'Remove',
    newPasskeyName: 'Name of the new passkey (optional)',
    newPasskeyPlaceholder: 'Laptop',
    yourPassword: 'Your password',
    addPasskey: 'Add a passkey',
    passkeysUnavailable: 'Passkeys cannot be added at this address: they need a domain name served over https (or localhost).',

    connectedSignIns: 'Connected sign-ins',
    connectedSignInsIntro: 'You can sign in here with these accounts elsewhere.',
    /** A connected sign-in's line: when it was connected, when it last signed in (undefined: never). */
    connectedLine: (connected: string, lastUsed: string | undefined) => `connected ${connected}${lastUsed === undefined ? '; not used yet' : `; last used ${lastUsed}`}`,
    disconnectNamed: (name: string) => `Disconnect ${name}`,
    disconnect: 'Disconnect',
    connect: (name: string) => `Connect ${name}`,

    applications: 'Applications',
    noApplications: 'You have not allowed any application.',
    allowed: (when: string) => `allowed ${when}`,
    removeAccessOf: (client: string) => `Remove access of ${client}`,
    removeAccess: 'Remove access',

    sessions: 'Sessions',
    thisBrowser: 'This browser',
    since: (when: string) => `Since ${when}`,
    /** How a session signed in: `methods` as the `method` names below, joined. */
    signedInWith: (methods: readonly string[]) => (methods.length === 0 ? 'signed in' : `signed in with ${methods.join(' and ')}`),
    method: {
      pwd: 'password',
      otp: 'a code from an authenticator app',
      hwk: 'a passkey kept on one device',
      swk: 'a passkey',
      fed: 'a connected sign-in',
    },
    /** A session's line: how it signed in (`signedInWith`), when (this browser's only), until when it lasts. */
    sessionLine: (how: string, at: string | undefined, until: string) => `${how}${at === undefined ? '' : ` at ${at}`}; until ${until}`,
    endOtherSessions: 'End every other session',
    endSession: 'End session',
    signOut: 'Sign out',

    yourData: 'Your data',
    yourDataIntro: 'Everything this account holds of you — profile, how you sign in (no secrets), connected sign-ins, applications, sessions and activity — as one JSON file.',
    downloadData: 'Download your data',
    deleteTitle: 'Delete your account',
    deleteIntro: 'Your account goes, with everything of it: every application you allowed loses its access, every session ends. This cannot be undone.',
    deleteForGood: (username: string) => `Delete ${username} for good`,
    deleteAccount: 'Delete account',

    language: 'Language',
    languageLabel: 'The language of this account console, of your security notices and of the links mailed from here',
    defaultLanguage: (name: string) => `The default (${name})`,
    saveLanguage: 'Save language',
  },

  /** The overview's Recent activity: what the audit log holds of the account, newest first. */
  activity: {
    title: 'Recent activity',
    intro: 'What happened to your account lately, newest first. Something you do not recognize? Change your password and end your other sessions.',
    none: 'Nothing yet.',
    /** The account console itself, as the application a sign-in was to. */
    thisConsole: 'your account settings',
    /** One line: what happened, when, and — when someone else did it — who. */
    line: (what: string, when: string, byAdministrator: boolean) => `${what} — ${when}${byAdministrator ? ', by an administrator' : ''}`,
    signedIn: (application: string) => `Signed in to ${application}`,
    failedSignIn: (application: string) => `A failed sign-in to ${application}: a wrong password or code`,
    throttled: 'Signing in paused for a while after too many failed attempts',
    newBrowser: (address: string | undefined) => `Signed in from a browser not used before${address === undefined ? '' : ` (${address})`}`,
    heldBack: (application: string) => `A sign-in to ${application} waited for your email address to be confirmed`,
    signedOut: 'A session ended',
    allowed: (application: string) => `Allowed ${application}`,
    accessRemoved: (application: string) => `Access of ${application} removed`,
    created: 'Account created',
    profileChanged: 'Profile changed',
    languageChanged: 'Language changed',
    passwordChanged: 'Password changed',
    passwordSet: 'Password set',
    resetRequested: 'A password reset link was sent to your address',
    emailConfirmed: 'Email address confirmed',
    twoStepOn: 'Two-step verification turned on',
    twoStepOff: 'Two-step verification turned off',
    recoveryCodesCreated: 'New recovery codes made',
    recoveryCodeUsed: (application: string) => `A recovery code signed in to ${application}`,
    passkeyAdded: (name: string) => `Passkey ${name} added`,
    passkeyRemoved: (name: string) => `Passkey ${name} removed`,
    upstreamConnected: (provider: string) => `Sign-in with ${provider} connected`,
    upstreamDisconnected: (provider: string) => `Sign-in with ${provider} disconnected`,
    unlocked: 'Signing in unlocked after too many attempts',
    enabled: 'Account enabled',
    exported: 'Your data downloaded',
  },

  /** Every form with a main action: back without sending. */
  cancel: 'Cancel',

  /** `GET /account/password`. */
  password: {
    change: 'Change password',
    set: 'Set a password',
    for: 'for',
    current: 'Current password',
    new: 'New password',
    newAgain: 'New password again',
    signOutElsewhere: 'Sign out everywhere else',
  },

  /** `GET /account/two-step`. */
  twoStepSetup: {
    title: 'Set up two-step verification',
    scan: 'Scan this code with your authenticator app (any app for time-based codes: Google Authenticator, Microsoft Authenticator, 1Password, Aegis …).',
    qrLabel: 'QR code of your new authenticator key',
    orEnterKey: 'Or enter this key in the app:',
    onThisDevice: 'On this device?',
    openInApp: 'Open it in your authenticator app',
    codeNow: 'The code your app shows now',
    turnOn: 'Turn on',
  },

  /** The recovery codes, shown once. */
  recoveryCodes: {
    title: 'Your recovery codes',
    intro: 'If you lose your phone, each of these codes signs you in once in place of a code from your app. Save them somewhere safe — in a password manager, or on paper. They are not shown again, and any earlier recovery codes no longer work.',
    saved: 'I have saved them',
  },

  /** The second step of adding a passkey. */
  passkeySetup: {
    title: 'Add a passkey',
    intro: 'Your browser will ask you to create a passkey for this site: unlock your device (or security key) when it asks. The passkey stays on your device; this site keeps only its public key.',
    failed: 'No passkey was made: the browser\'s request was cancelled, timed out, or this device has a passkey for your account already.',
    create: 'Create passkey',
    needsScript: 'Creating a passkey needs JavaScript.',
  },
};

/** What the account console says, in one language. */
export type AccountMessages = typeof accountEn;
