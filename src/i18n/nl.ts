import type { Messages } from './en.js';

/** Dutch (Nederlands): what latchkey's pages, the messages they show and the mails of a sign-in say, addressing the reader formally ("u"). */
export const nl: Messages = {
  name: 'Nederlands',
  logoAlt: 'Logo',

  continueTo: (client: string) => `om verder te gaan naar ${client}`,
  username: 'Gebruikersnaam',
  password: 'Wachtwoord',
  signIn: 'Inloggen',
  backToSignIn: 'Terug naar inloggen',
  continue: 'Doorgaan',

  login: {
    title: 'Inloggen',
    withPasskey: 'Inloggen met een toegangssleutel',
    passkeyOtherwise: 'log in met uw wachtwoord',
    upstreamNotConnected: (provider: string, email: string | undefined, mayCreate: boolean) =>
      `Uw account bij ${provider}${email ? ` (${email})` : ''} is hier nog niet aan een account gekoppeld. Log hieronder in om het te koppelen${mayCreate ? ', of maak er een nieuw account mee aan' : ''}.`,
    createWithUpstream: (provider: string) => `Nieuw account aanmaken met ${provider}`,
    signInWithUpstream: (provider: string) => `Inloggen met ${provider}`,
    forgotPassword: 'Wachtwoord vergeten?',
    noAccount: 'Nog geen account?',
    createAccount: 'Account aanmaken',
  },

  // "Probeer het opnieuw of <otherwise>.": both passkeyOtherwise are imperatives ("log in…", "voer de code in").
  passkeyFailed: (otherwise: string) =>
    `Er is geen toegangssleutel gebruikt: het verzoek van de browser is geannuleerd of verlopen. Probeer het opnieuw of ${otherwise}.`,

  register: {
    title: 'Account aanmaken',
    nameOptional: 'Naam (optioneel)',
    email: 'E-mailadres',
    emailOptional: 'E-mailadres (optioneel)',
    passwordAgain: 'Wachtwoord herhalen',
    submit: 'Account aanmaken',
    haveAccount: 'Heeft u al een account?',
  },

  oneTimeCode: {
    title: 'Verificatie in twee stappen',
    // Followed by the bold username, then " om verder te gaan naar <app>".
    signingInAs: 'Inloggen als',
    codeLabel: 'Code uit uw authenticatie-app',
    verify: 'Verifiëren',
    lostPhone: 'Telefoon kwijt? Gebruik een herstelcode',
    recoveryCodeLabel: 'Een van de herstelcodes die u heeft bewaard',
    useRecoveryCode: 'Herstelcode gebruiken',
    usePasskey: 'Liever een toegangssleutel gebruiken',
    passkeyOtherwise: 'voer de code in',
    someoneElse: 'Inloggen als iemand anders',
  },

  forgotPassword: {
    title: 'Wachtwoord opnieuw instellen',
    sentByUsernameOrEmail:
      'Als dit de gebruikersnaam of het e-mailadres van een account is, is er een link naar het e-mailadres van dat account gestuurd waarmee u een nieuw wachtwoord kunt instellen.',
    sentByUsername:
      'Als dit de gebruikersnaam is van een account met een e-mailadres, is er een link naar dat adres gestuurd waarmee u een nieuw wachtwoord kunt instellen.',
    openWithin: (minutes: number) => `Open de link binnen ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'}.`,
    intro: 'We sturen een link om een nieuw wachtwoord in te stellen naar het e-mailadres van uw account.',
    usernameOrEmail: 'Gebruikersnaam of e-mailadres',
    send: 'Link versturen',
  },

  resetPassword: {
    title: 'Nieuw wachtwoord instellen',
    titleFirst: 'Wachtwoord instellen',
    done: (username: string) => `Het wachtwoord van ${username} is gewijzigd en alle sessies van het account zijn beëindigd.`,
    doneFirst: (username: string) => `Het wachtwoord van ${username} is ingesteld en alle sessies van het account zijn beëindigd.`,
    for: 'Voor',
    newPassword: 'Nieuw wachtwoord',
    newPasswordAgain: 'Nieuw wachtwoord herhalen',
    submit: 'Wachtwoord instellen',
    signInWithNew: 'Inloggen met het nieuwe wachtwoord',
    signInToAccount: 'Inloggen op uw account',
  },

  // "Het adres <b>…</b> is bevestigd als e-mailadres van alice." / "Is <b>…</b> het e-mailadres van alice?"
  verifyEmail: {
    title: 'E-mailadres bevestigen',
    confirmedBefore: 'Het adres ',
    confirmedAfter: (username: string) => ` is bevestigd als e-mailadres van ${username}.`,
    questionBefore: 'Is ',
    questionAfter: (username: string) => ` het e-mailadres van ${username}?`,
    confirm: 'Bevestigen',
  },

  consent: {
    title: (client: string) => `Toegang toestaan voor ${client}?`,
    signedInAs: 'Ingelogd als',
    // Followed by a list of noun phrases (scopes and claims below).
    asksFor: (client: string) => `${client} vraagt om:`,
    privacyPolicy: 'Privacyverklaring',
    termsOfService: 'Gebruiksvoorwaarden',
    allow: 'Toestaan',
    deny: 'Weigeren',
  },

  // Noun phrases, to follow "<app> vraagt om:".
  scopes: {
    openid: 'Bevestiging van wie u bent (de identificatiecode van uw account)',
    profile: 'Uw basisprofiel: naam, gebruikersnaam, profielfoto en taalinstelling',
    email: 'Uw e-mailadres en of het geverifieerd is',
    address: 'Uw postadres',
    phone: 'Uw telefoonnummer',
    groups: 'De groepen waar u lid van bent',
    offline_access: 'Blijvende toegang, ook als u de toepassing niet gebruikt (totdat u die intrekt)',
  },
  apiScope: (scope: string, api: string) => `${scope} bij ${api}`,
  // "Uw" fits both de- and het-words, so every name below reads after it.
  claim: (name: string) => `Uw ${name}`,
  claims: {
    name: 'volledige naam',
    given_name: 'voornaam',
    family_name: 'achternaam',
    middle_name: 'tweede voornaam',
    nickname: 'bijnaam',
    preferred_username: 'gebruikersnaam',
    profile: 'profielpagina',
    picture: 'profielfoto',
    website: 'website',
    gender: 'geslacht',
    birthdate: 'geboortedatum',
    zoneinfo: 'tijdzone',
    locale: 'taalinstelling',
    updated_at: 'tijdstip van de laatste profielwijziging',
    email: 'e-mailadres',
    email_verified: 'verificatiestatus van het e-mailadres',
    address: 'postadres',
    phone_number: 'telefoonnummer',
    phone_number_verified: 'verificatiestatus van het telefoonnummer',
    groups: 'groepen',
  },

  device: {
    title: 'Apparaat koppelen',
    intro: 'Voer de code in die op uw apparaat wordt getoond.',
    code: 'Code',
    connected: 'Apparaat gekoppeld',
    notConnected: 'Apparaat niet gekoppeld',
    connectedText: (client: string) => `${client} kan nu verder op uw apparaat. U kunt deze pagina sluiten.`,
    notConnectedText: (client: string) => `${client} heeft geen toegang gekregen. U kunt deze pagina sluiten.`,
  },

  logout: {
    title: 'Uitloggen?',
    clientAsks: (client: string) => `${client} wil u uitloggen.`,
    question: 'Wilt u uitloggen?',
    stay: 'Ingelogd blijven',
    signOut: 'Uitloggen',
    signedOut: 'Uitgelogd',
    stillSignedIn: 'Nog steeds ingelogd',
    signedOutText: 'U bent uitgelogd.',
    stillSignedInText: 'U bent nog steeds ingelogd.',
    frameTitle: 'uitlogmelding',
  },

  errorPage: {
    title: 'Er is iets misgegaan',
    code: 'Foutcode',
  },

  formPost: {
    noScript: 'JavaScript staat uit: klik op Doorgaan om terug te gaan naar de toepassing.',
  },

  errors: {
    loginIncorrect: 'De gebruikersnaam of het wachtwoord is onjuist.',
    tooManyLogins: 'Te veel mislukte inlogpogingen. Wacht een paar minuten en probeer het opnieuw.',
    passkeyRefused: 'Inloggen met deze toegangssleutel is niet gelukt. Probeer het opnieuw of log in met uw wachtwoord.',
    codeWrong: 'Deze code klopt niet of is al gebruikt. Voer de code in die uw app nu laat zien.',
    recoveryCodeWrong: 'Deze herstelcode klopt niet of is al gebruikt.',
    passwordsDiffer: 'De twee wachtwoorden komen niet overeen.',
    passwordTooShort: (min: number) => `Het wachtwoord moet minstens ${min} tekens lang zijn.`,
    passwordTooLong: (max: number) => `Het wachtwoord mag hoogstens ${max} tekens lang zijn.`,
    usernameTaken: (username: string) => `De gebruikersnaam ${username} is al in gebruik.`,
    newPasswordsDiffer: 'De nieuwe wachtwoorden komen niet overeen.',
    newPasswordTooShort: (min: number) => `Het nieuwe wachtwoord moet minstens ${min} tekens lang zijn.`,
    newPasswordTooLong: (max: number) => `Het nieuwe wachtwoord mag hoogstens ${max} tekens lang zijn.`,
    tooManyAccounts: 'Er zijn te veel accounts aangemaakt vanaf uw netwerk. Probeer het later opnieuw.',
    tooManyResetLinks: 'Er zijn vanaf uw netwerk te veel links aangevraagd om een wachtwoord opnieuw in te stellen. Probeer het later opnieuw.',
    tooManyDeviceCodes: 'Te veel onjuiste codes. Wacht een paar minuten en probeer het opnieuw.',
    deviceCodeWrong: 'Deze code is ongeldig of verlopen. Controleer de code op uw apparaat.',
    upstreamUnreachable: (provider: string) => `${provider} is nu niet bereikbaar. Probeer het later opnieuw of log op een andere manier in.`,
    upstreamSignInOver: 'Deze inlogpoging is verlopen of is niet hier gestart. Probeer het opnieuw.',
    upstreamAccountDisabled: 'Het account dat aan deze identiteit is gekoppeld, mag niet inloggen.',
    upstreamNoNewAccount: 'Met deze inlogpoging kan geen nieuw account worden aangemaakt. Log in of probeer het opnieuw.',
    resetLinkUnusable:
      'Deze link om uw wachtwoord opnieuw in te stellen werkt niet meer: hij is al gebruikt, hij is verlopen of het wachtwoord is intussen gewijzigd. Vraag een nieuwe link aan op de inlogpagina.',
    confirmationLinkUnusable:
      'Deze bevestigingslink werkt niet meer: hij is al gebruikt, hij is verlopen of het adres is intussen gewijzigd. Vraag een nieuwe link aan in uw account.',
    confirmationLinkUnusableSignIn: 'Deze bevestigingslink werkt niet meer: hij is al gebruikt, hij is verlopen of het adres is intussen gewijzigd. Log opnieuw in: er gaat een nieuwe link naar uw adres.',
    confirmEmailFirst: (email: string) => `Bevestig eerst uw e-mailadres: we hebben een link gestuurd naar ${email}. Open die en log daarna opnieuw in.`,
    emailRequired: 'Vul uw e-mailadres in: we sturen er een link naartoe om het te bevestigen.',
  },

  mail: {
    resetSubject: (username: string, host: string, first: boolean) => `${first ? 'Wachtwoord' : 'Nieuw wachtwoord'} instellen voor ${username} bij ${host}`,
    resetText: (username: string, host: string, first: boolean, minutes: number, link: string) =>
      [
        `Iemand heeft gevraagd om ${first ? 'een wachtwoord' : 'een nieuw wachtwoord'} in te stellen voor het account ${username} bij ${host}.`,
        '',
        `Open hiervoor binnen ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'} deze link (hij werkt één keer):`,
        link,
        '',
        first ? 'Was u dit niet? Negeer dan deze e-mail: het account blijft zonder wachtwoord.' : 'Was u dit niet? Negeer dan deze e-mail: uw wachtwoord blijft ongewijzigd.',
      ].join('\n'),
    confirmSubject: (username: string, host: string) => `Bevestig uw e-mailadres voor ${username} bij ${host}`,
    confirmText: (email: string, username: string, host: string, link: string) =>
      [
        `Bevestig via deze link dat ${email} het e-mailadres is van het account ${username} bij ${host}:`,
        link,
        '',
        'De link werkt één keer en is een dag geldig. Heeft u dit account niet aangemaakt en ook het adres niet gewijzigd? Negeer dan deze e-mail.',
      ].join('\n'),
  },

  // The notice lines start in lower case: they follow a colon in `text`.
  notice: {
    subject: (username: string, host: string) => `Beveiligingsmelding voor ${username} bij ${host}`,
    text: (username: string, host: string, happened: string, at: string, by: string, advice: string) =>
      [`Voor het account ${username} bij ${host}: ${happened} — op ${at}${by === '' ? '' : `, ${by}`}.`, '', 'Was u het zelf? Dan hoeft u niets te doen.', advice].join('\n'),
    advice: (accountUrl: string) =>
      `Was u het niet? Log dan in op ${accountUrl} en wijzig uw wachtwoord (of gebruik ‘Wachtwoord vergeten?’ op de inlogpagina), controleer uw toegangssleutels en de verificatie in twee stappen, en waarschuw uw beheerder.`,
    deletedAdvice:
      'Was u het niet? Waarschuw dan meteen uw beheerder: het account, de sessies ervan en de toegang die het aan toepassingen had gegeven, zijn verdwenen, en iedereen kan de gebruikersnaam nu opnieuw gebruiken.',
    byAccount: 'vanuit het account zelf',
    byAdministrator: 'door een beheerder',
    passwordChanged: 'het wachtwoord is gewijzigd',
    passwordSetFirst: 'er is een wachtwoord ingesteld terwijl het account er geen had: er kan nu ook met een wachtwoord worden ingelogd',
    twoStepEnabled: 'verificatie in twee stappen is ingeschakeld',
    twoStepDisabled: 'verificatie in twee stappen is uitgeschakeld: alleen het wachtwoord is nu genoeg om in te loggen',
    recoveryCodesCreated: 'er zijn nieuwe herstelcodes gemaakt (de vorige werken niet meer)',
    recoveryCodeUsed: 'er is ingelogd met een herstelcode in plaats van een code uit de authenticatie-app',
    passkeyAdded: (name: string) => `er is een toegangssleutel met de naam ‘${name}’ toegevoegd`,
    passkeyRemoved: (name: string) => `de toegangssleutel met de naam ‘${name}’ is verwijderd`,
    emailChanged: (previous: string) => `het e-mailadres ${previous} is vervangen door een ander (e-mail komt hier niet meer aan)`,
    newBrowser: (origin: string | undefined) =>
      `iemand is ingelogd met een browser die nog niet eerder voor dit account was gebruikt${origin === undefined ? '' : ` (${origin})`}`,
    accountDeleted: 'het account is verwijderd',
  },
};
