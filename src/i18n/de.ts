import type { Messages } from './en.js';

/** German (Deutsch): what latchkey's pages, the messages they show and the mails of a sign-in say, addressing the reader formally („Sie“). */
export const de: Messages = {
  name: 'Deutsch',
  logoAlt: 'Logo',

  continueTo: (client: string) => `weiter zu ${client}`,
  username: 'Benutzername',
  password: 'Passwort',
  signIn: 'Anmelden',
  backToSignIn: 'Zurück zur Anmeldung',
  continue: 'Weiter',

  login: {
    title: 'Anmelden',
    withPasskey: 'Mit Passkey anmelden',
    passkeyOtherwise: 'melden Sie sich mit Ihrem Passwort an',
    upstreamNotConnected: (provider: string, email: string | undefined, mayCreate: boolean) =>
      `Ihr Konto bei ${provider}${email ? ` (${email})` : ''} ist noch mit keinem Konto hier verknüpft. Melden Sie sich unten an, um es zu verknüpfen${mayCreate ? ', oder erstellen Sie damit ein neues Konto' : ''}.`,
    createWithUpstream: (provider: string) => `Neues Konto mit ${provider} erstellen`,
    signInWithUpstream: (provider: string) => `Mit ${provider} anmelden`,
    forgotPassword: 'Passwort vergessen?',
    noAccount: 'Noch kein Konto?',
    createAccount: 'Konto erstellen',
  },

  // "Versuchen Sie es erneut oder <otherwise>.": the two passkeyOtherwise are imperative clauses.
  passkeyFailed: (otherwise: string) => `Es wurde kein Passkey verwendet: Die Anfrage des Browsers wurde abgebrochen oder ist abgelaufen. Versuchen Sie es erneut oder ${otherwise}.`,

  register: {
    title: 'Konto erstellen',
    nameOptional: 'Name (optional)',
    email: 'E-Mail-Adresse',
    emailOptional: 'E-Mail-Adresse (optional)',
    passwordAgain: 'Passwort wiederholen',
    submit: 'Konto erstellen',
    haveAccount: 'Sie haben bereits ein Konto?',
  },

  oneTimeCode: {
    title: 'Bestätigung in zwei Schritten',
    // Followed by the bold username, then " weiter zu <App>".
    signingInAs: 'Anmeldung als',
    codeLabel: 'Code aus Ihrer Authenticator-App',
    verify: 'Bestätigen',
    lostPhone: 'Smartphone verloren? Wiederherstellungscode verwenden',
    recoveryCodeLabel: 'Einer der Wiederherstellungscodes, die Sie gespeichert haben',
    useRecoveryCode: 'Wiederherstellungscode verwenden',
    usePasskey: 'Stattdessen Passkey verwenden',
    passkeyOtherwise: 'geben Sie den Code ein',
    someoneElse: 'Als andere Person anmelden',
  },

  forgotPassword: {
    title: 'Passwort zurücksetzen',
    sentByUsernameOrEmail: 'Falls dies der Benutzername oder die E-Mail-Adresse eines Kontos ist, haben wir einen Link zum Festlegen eines neuen Passworts an die E-Mail-Adresse dieses Kontos gesendet.',
    sentByUsername: 'Falls dies der Benutzername eines Kontos mit E-Mail-Adresse ist, haben wir einen Link zum Festlegen eines neuen Passworts an diese Adresse gesendet.',
    openWithin: (minutes: number) => `Öffnen Sie ihn innerhalb der nächsten ${minutes} Minuten.`,
    intro: 'Wir senden Ihnen einen Link zum Festlegen eines neuen Passworts an die E-Mail-Adresse Ihres Kontos.',
    usernameOrEmail: 'Benutzername oder E-Mail-Adresse',
    send: 'Link senden',
  },

  resetPassword: {
    title: 'Neues Passwort festlegen',
    titleFirst: 'Passwort festlegen',
    done: (username: string) => `Das Passwort von ${username} wurde geändert und alle Sitzungen des Kontos wurden beendet.`,
    doneFirst: (username: string) => `Das Passwort von ${username} wurde festgelegt und alle Sitzungen des Kontos wurden beendet.`,
    for: 'Für',
    newPassword: 'Neues Passwort',
    newPasswordAgain: 'Neues Passwort wiederholen',
    submit: 'Passwort festlegen',
    signInWithNew: 'Mit dem neuen Passwort anmelden',
    signInToAccount: 'Bei Ihrem Konto anmelden',
  },

  verifyEmail: {
    title: 'E-Mail-Adresse bestätigen',
    // „<Adresse> ist als E-Mail-Adresse von alice bestätigt.“ / „Ist <Adresse> die E-Mail-Adresse von alice?“
    confirmedBefore: '',
    confirmedAfter: (username: string) => ` ist als E-Mail-Adresse von ${username} bestätigt.`,
    questionBefore: 'Ist ',
    questionAfter: (username: string) => ` die E-Mail-Adresse von ${username}?`,
    confirm: 'Bestätigen',
  },

  consent: {
    title: (client: string) => `Zugriff für ${client} zulassen?`,
    signedInAs: 'Angemeldet als',
    // Followed by a list of noun phrases (scopes and claims below).
    asksFor: (client: string) => `${client} bittet um:`,
    privacyPolicy: 'Datenschutzerklärung',
    termsOfService: 'Nutzungsbedingungen',
    allow: 'Zulassen',
    deny: 'Ablehnen',
  },

  scopes: {
    openid: 'Bestätigung Ihrer Identität (Ihre Konto-ID)',
    profile: 'Ihr Basisprofil: Name, Benutzername, Profilbild sowie Sprache und Region',
    email: 'Ihre E-Mail-Adresse und ob sie bestätigt ist',
    address: 'Ihre Postanschrift',
    phone: 'Ihre Telefonnummer',
    groups: 'Die Gruppen, denen Sie angehören',
    offline_access: 'Dauerhafter Zugriff, auch wenn Sie die Anwendung nicht verwenden (bis Sie ihn widerrufen)',
  },
  apiScope: (scope: string, api: string) => `${scope} für ${api}`,
  // The possessive (Ihr/Ihre) depends on the noun's gender, so the claim's name stands alone,
  // as on a list of permissions.
  claim: (name: string) => `${name}`,
  claims: {
    name: 'Vollständiger Name',
    given_name: 'Vorname',
    family_name: 'Nachname',
    middle_name: 'Zweiter Vorname',
    nickname: 'Spitzname',
    preferred_username: 'Benutzername',
    profile: 'Profilseite',
    picture: 'Profilbild',
    website: 'Website',
    gender: 'Geschlecht',
    birthdate: 'Geburtsdatum',
    zoneinfo: 'Zeitzone',
    locale: 'Sprache und Region',
    updated_at: 'Zeitpunkt der letzten Profiländerung',
    email: 'E-Mail-Adresse',
    email_verified: 'Bestätigungsstatus Ihrer E-Mail-Adresse',
    address: 'Postanschrift',
    phone_number: 'Telefonnummer',
    phone_number_verified: 'Bestätigungsstatus Ihrer Telefonnummer',
    groups: 'Gruppenzugehörigkeit',
  },

  device: {
    title: 'Gerät verbinden',
    intro: 'Geben Sie den Code ein, der auf Ihrem Gerät angezeigt wird.',
    code: 'Code',
    connected: 'Gerät verbunden',
    notConnected: 'Gerät nicht verbunden',
    connectedText: (client: string) => `${client} kann jetzt auf Ihrem Gerät fortfahren. Sie können diese Seite schließen.`,
    notConnectedText: (client: string) => `${client} hat keinen Zugriff erhalten. Sie können diese Seite schließen.`,
  },

  logout: {
    title: 'Abmelden?',
    clientAsks: (client: string) => `${client} möchte Sie abmelden.`,
    question: 'Möchten Sie sich abmelden?',
    stay: 'Angemeldet bleiben',
    signOut: 'Abmelden',
    signedOut: 'Abgemeldet',
    stillSignedIn: 'Weiterhin angemeldet',
    signedOutText: 'Sie wurden abgemeldet.',
    stillSignedInText: 'Sie sind weiterhin angemeldet.',
    frameTitle: 'Abmeldebenachrichtigung',
  },

  errorPage: {
    title: 'Es ist ein Fehler aufgetreten',
    code: 'Fehlercode',
  },

  formPost: {
    noScript: 'JavaScript ist deaktiviert: Klicken Sie auf „Weiter“, um zur Anwendung zurückzukehren.',
  },

  errors: {
    loginIncorrect: 'Der Benutzername oder das Passwort ist falsch.',
    tooManyLogins: 'Zu viele fehlgeschlagene Anmeldeversuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
    passkeyRefused: 'Mit diesem Passkey ist keine Anmeldung möglich. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
    codeWrong: 'Dieser Code ist falsch oder wurde bereits verwendet. Geben Sie den Code ein, den Ihre Authenticator-App jetzt anzeigt.',
    recoveryCodeWrong: 'Dieser Wiederherstellungscode ist falsch oder wurde bereits verwendet.',
    passwordsDiffer: 'Die beiden Passwörter stimmen nicht überein.',
    passwordTooShort: (min: number) => `Das Passwort muss mindestens ${min} Zeichen lang sein.`,
    passwordTooLong: (max: number) => `Das Passwort darf höchstens ${max} Zeichen lang sein.`,
    usernameTaken: (username: string) => `Der Benutzername ${username} ist bereits vergeben.`,
    newPasswordsDiffer: 'Die neuen Passwörter stimmen nicht überein.',
    newPasswordTooShort: (min: number) => `Das neue Passwort muss mindestens ${min} Zeichen lang sein.`,
    newPasswordTooLong: (max: number) => `Das neue Passwort darf höchstens ${max} Zeichen lang sein.`,
    tooManyAccounts: 'Aus Ihrem Netzwerk wurden zu viele Konten erstellt. Versuchen Sie es später erneut.',
    tooManyResetLinks: 'Aus Ihrem Netzwerk wurden zu viele Links zum Zurücksetzen angefordert. Versuchen Sie es später erneut.',
    tooManyDeviceCodes: 'Zu viele falsche Codes. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
    deviceCodeWrong: 'Dieser Code ist ungültig oder abgelaufen. Prüfen Sie den Code auf Ihrem Gerät.',
    upstreamUnreachable: (provider: string) => `${provider} ist derzeit nicht erreichbar. Versuchen Sie es später erneut oder melden Sie sich auf andere Weise an.`,
    upstreamSignInOver: 'Diese Anmeldung ist nicht mehr gültig oder wurde nicht hier gestartet. Versuchen Sie es erneut.',
    upstreamAccountDisabled: 'Das mit dieser Identität verknüpfte Konto ist für die Anmeldung gesperrt.',
    upstreamNoNewAccount: 'Mit dieser Anmeldung kann kein neues Konto erstellt werden. Melden Sie sich an oder versuchen Sie es erneut.',
    resetLinkUnusable: 'Dieser Link zum Zurücksetzen des Passworts funktioniert nicht mehr: Er wurde bereits verwendet, ist abgelaufen oder das Passwort wurde inzwischen geändert. Fordern Sie auf der Anmeldeseite einen neuen Link an.',
    confirmationLinkUnusable: 'Dieser Bestätigungslink funktioniert nicht mehr: Er wurde bereits verwendet, ist abgelaufen oder die Adresse wurde inzwischen geändert. Fordern Sie in Ihrem Konto einen neuen Link an.',
    confirmationLinkUnusableSignIn: 'Dieser Bestätigungslink funktioniert nicht mehr: Er wurde bereits verwendet, ist abgelaufen oder die Adresse wurde inzwischen geändert. Melden Sie sich erneut an: Ein neuer Link geht an Ihre Adresse.',
    confirmEmailFirst: (email: string) => `Bestätigen Sie zuerst Ihre E-Mail-Adresse: Wir haben einen Link an ${email} gesendet. Öffnen Sie ihn und melden Sie sich dann erneut an.`,
    emailRequired: 'Geben Sie Ihre E-Mail-Adresse ein: Wir senden einen Link, um sie zu bestätigen.',
  },

  mail: {
    resetSubject: (username: string, host: string, first: boolean) => `${first ? 'Passwort' : 'Neues Passwort'} für ${username} bei ${host} festlegen`,
    resetText: (username: string, host: string, first: boolean, minutes: number, link: string) =>
      [
        `Jemand hat angefordert, ${first ? 'ein Passwort' : 'ein neues Passwort'} für das Konto ${username} bei ${host} festzulegen.`,
        '',
        `Öffnen Sie dazu innerhalb der nächsten ${minutes} Minuten diesen Link (er funktioniert nur einmal):`,
        link,
        '',
        first ? 'Falls Sie das nicht waren, ignorieren Sie diese E-Mail: Das Konto bleibt dann ohne Passwort.' : 'Falls Sie das nicht waren, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
      ].join('\n'),
    confirmSubject: (username: string, host: string) => `E-Mail-Adresse für ${username} bei ${host} bestätigen`,
    confirmText: (email: string, username: string, host: string, link: string) =>
      [
        `Bitte bestätigen Sie, dass ${email} die E-Mail-Adresse des Kontos ${username} bei ${host} ist:`,
        link,
        '',
        'Der Link funktioniert nur einmal und ist einen Tag lang gültig. Falls Sie dieses Konto nicht erstellt und seine Adresse nicht geändert haben, ignorieren Sie diese E-Mail.',
      ].join('\n'),
  },

  notice: {
    subject: (username: string, host: string) => `Sicherheitshinweis für ${username} bei ${host}`,
    text: (username: string, host: string, happened: string, at: string, by: string, advice: string) =>
      [`Beim Konto ${username} bei ${host}: ${happened} — am ${at}${by === '' ? '' : `, ${by}`}.`, '', 'Falls Sie das waren, ist nichts weiter zu tun.', advice].join('\n'),
    advice: (accountUrl: string) =>
      `Falls nicht, melden Sie sich unter ${accountUrl} an und ändern Sie Ihr Passwort (oder nutzen Sie „Passwort vergessen?“ auf der Anmeldeseite), prüfen Sie Ihre Passkeys und die Bestätigung in zwei Schritten und informieren Sie Ihre Administration.`,
    deletedAdvice: 'Falls nicht, informieren Sie sofort Ihre Administration: Das Konto, seine Anmeldungen und die Freigaben für Anwendungen sind gelöscht, und sein Benutzername kann von jeder Person neu vergeben werden.',
    byAccount: 'vom Konto selbst',
    byAdministrator: 'durch die Administration',
    passwordChanged: 'Das Passwort wurde geändert',
    passwordSetFirst: 'Es wurde ein Passwort festgelegt, wo das Konto keines hatte: Es meldet sich jetzt auch mit einem Passwort an',
    twoStepEnabled: 'Die Bestätigung in zwei Schritten wurde eingeschaltet',
    twoStepDisabled: 'Die Bestätigung in zwei Schritten wurde ausgeschaltet: Das Passwort allein genügt jetzt zur Anmeldung',
    recoveryCodesCreated: 'Neue Wiederherstellungscodes wurden erstellt (die bisherigen gelten nicht mehr)',
    recoveryCodeUsed: 'Zur Anmeldung wurde ein Wiederherstellungscode anstelle eines Codes aus der Authenticator-App verwendet',
    passkeyAdded: (name: string) => `Ein Passkey mit dem Namen „${name}“ wurde hinzugefügt`,
    passkeyRemoved: (name: string) => `Der Passkey mit dem Namen „${name}“ wurde entfernt`,
    emailChanged: (previous: string) => `Die E-Mail-Adresse wurde von ${previous} geändert (an diese Adresse kommt keine Post mehr)`,
    newBrowser: (origin: string | undefined) => `Jemand hat sich mit einem Browser angemeldet, den dieses Konto bisher nicht verwendet hat${origin === undefined ? '' : ` (${origin})`}`,
    accountDeleted: 'Das Konto wurde gelöscht',
  },
};
