import type { Messages } from './en.js';

/** Italian (italiano): what latchkey's pages, their messages and the mails of a sign-in say, addressing the reader informally ("tu"), as Italian apps do. */
export const it: Messages = {
  name: 'Italiano',
  logoAlt: 'Logo',

  continueTo: (client: string) => `per continuare su ${client}`,
  username: 'Nome utente',
  password: 'Password',
  signIn: 'Accedi',
  backToSignIn: 'Torna all’accesso',
  continue: 'Continua',

  login: {
    title: 'Accedi',
    withPasskey: 'Accedi con una passkey',
    passkeyOtherwise: 'accedi con la tua password',
    upstreamNotConnected: (provider: string, email: string | undefined, mayCreate: boolean) =>
      `Il tuo account ${provider}${email ? ` (${email})` : ''} non è ancora collegato a un account qui. Accedi qui sotto per collegarlo${mayCreate ? ', oppure usalo per creare un nuovo account' : ''}.`,
    createWithUpstream: (provider: string) => `Crea un nuovo account con ${provider}`,
    signInWithUpstream: (provider: string) => `Accedi con ${provider}`,
    forgotPassword: 'Password dimenticata?',
    noAccount: 'Non hai ancora un account?',
    createAccount: 'Crea un account',
  },

  // "Riprova oppure <otherwise>.": both passkeyOtherwise are imperatives ("accedi…", "inserisci…").
  passkeyFailed: (otherwise: string) =>
    `Non è stata usata nessuna passkey: la richiesta del browser è stata annullata o è scaduta. Riprova oppure ${otherwise}.`,

  register: {
    title: 'Crea un account',
    nameOptional: 'Nome (facoltativo)',
    email: 'Indirizzo email',
    emailOptional: 'Indirizzo email (facoltativo)',
    passwordAgain: 'Ripeti la password',
    submit: 'Crea account',
    haveAccount: 'Hai già un account?',
  },

  oneTimeCode: {
    title: 'Verifica in due passaggi',
    // Followed by the bold username, then " per continuare su <app>".
    signingInAs: 'Stai accedendo come',
    codeLabel: 'Codice della tua app di autenticazione',
    verify: 'Verifica',
    lostPhone: 'Hai perso il telefono? Usa un codice di recupero',
    recoveryCodeLabel: 'Uno dei codici di recupero che hai salvato',
    useRecoveryCode: 'Usa il codice di recupero',
    usePasskey: 'Usa invece una passkey',
    passkeyOtherwise: 'inserisci il codice',
    someoneElse: 'Accedi con un altro account',
  },

  forgotPassword: {
    title: 'Reimposta la password',
    sentByUsernameOrEmail:
      'Se corrisponde al nome utente o all’indirizzo email di un account, un link per impostare una nuova password è in arrivo all’indirizzo di quell’account.',
    sentByUsername:
      'Se corrisponde al nome utente di un account con un indirizzo email, un link per impostare una nuova password è in arrivo a quell’indirizzo.',
    openWithin: (minutes: number) => `Aprilo entro ${minutes} ${minutes === 1 ? 'minuto' : 'minuti'}.`,
    intro: 'Invieremo un link per impostare una nuova password all’indirizzo email del tuo account.',
    usernameOrEmail: 'Nome utente o indirizzo email',
    send: 'Invia link',
  },

  resetPassword: {
    title: 'Imposta una nuova password',
    titleFirst: 'Imposta una password',
    done: (username: string) =>
      `La password dell’account ${username} è stata cambiata e tutte le sue sessioni sono state chiuse.`,
    doneFirst: (username: string) =>
      `La password dell’account ${username} è stata impostata e tutte le sue sessioni sono state chiuse.`,
    for: 'Per',
    newPassword: 'Nuova password',
    newPasswordAgain: 'Ripeti la nuova password',
    submit: 'Imposta password',
    signInWithNew: 'Accedi con la nuova password',
    signInToAccount: 'Accedi al tuo account',
  },

  // "L’indirizzo <strong>…</strong> è stato confermato come…" / "Confermi che <strong>…</strong> è l’indirizzo email…?"
  verifyEmail: {
    title: 'Conferma il tuo indirizzo email',
    confirmedBefore: 'L’indirizzo ',
    confirmedAfter: (username: string) => ` è stato confermato come indirizzo email dell’account ${username}.`,
    questionBefore: 'Confermi che ',
    questionAfter: (username: string) => ` è l’indirizzo email dell’account ${username}?`,
    confirm: 'Conferma',
  },

  consent: {
    title: (client: string) => `Vuoi consentire l’accesso a ${client}?`,
    // Followed by the bold name; avoids the gendered "Connesso/a come".
    signedInAs: 'Accesso eseguito come',
    // Followed by a list of noun phrases (scopes and claims below).
    asksFor: (client: string) => `${client} richiede:`,
    privacyPolicy: 'Informativa sulla privacy',
    termsOfService: 'Termini di servizio',
    allow: 'Consenti',
    deny: 'Nega',
  },

  scopes: {
    openid: 'La conferma della tua identità (l’identificativo del tuo account)',
    profile: 'Il tuo profilo di base: nome, nome utente, immagine del profilo, lingua e regione',
    email: 'Il tuo indirizzo email e se è verificato',
    address: 'Il tuo indirizzo postale',
    phone: 'Il tuo numero di telefono',
    groups: 'I gruppi di cui fai parte',
    offline_access: 'L’accesso anche quando non usi l’applicazione (resta attivo finché non lo revochi)',
  },
  apiScope: (scope: string, api: string) => `${scope} su ${api}`,
  // The possessive (il tuo / la tua / i tuoi) agrees with the noun, so each name below carries
  // its own, as the scopes above do, and the claim is shown as it is.
  claim: (name: string) => `${name}`,
  claims: {
    name: 'Il tuo nome completo',
    given_name: 'Il tuo nome',
    family_name: 'Il tuo cognome',
    middle_name: 'Il tuo secondo nome',
    nickname: 'Il tuo soprannome',
    preferred_username: 'Il tuo nome utente',
    profile: 'La tua pagina del profilo',
    picture: 'La tua immagine del profilo',
    website: 'Il tuo sito web',
    gender: 'Il tuo genere',
    birthdate: 'La tua data di nascita',
    zoneinfo: 'Il tuo fuso orario',
    locale: 'La tua lingua e regione',
    updated_at: 'La data dell’ultimo aggiornamento del tuo profilo',
    email: 'Il tuo indirizzo email',
    email_verified: 'Se il tuo indirizzo email è verificato',
    address: 'Il tuo indirizzo postale',
    phone_number: 'Il tuo numero di telefono',
    phone_number_verified: 'Se il tuo numero di telefono è verificato',
    groups: 'I tuoi gruppi',
  },

  device: {
    title: 'Connetti un dispositivo',
    intro: 'Inserisci il codice mostrato sul tuo dispositivo.',
    code: 'Codice',
    connected: 'Dispositivo connesso',
    notConnected: 'Dispositivo non connesso',
    connectedText: (client: string) => `${client} ora può continuare sul tuo dispositivo. Puoi chiudere questa pagina.`,
    notConnectedText: (client: string) => `A ${client} non è stato concesso l’accesso. Puoi chiudere questa pagina.`,
  },

  // Phrased around "accesso" / "disconnessione" to avoid the gendered "connesso/a", "uscito/a".
  logout: {
    title: 'Vuoi uscire?',
    clientAsks: (client: string) => `${client} chiede di disconnetterti.`,
    question: 'Vuoi uscire dal tuo account?',
    stay: 'Mantieni l’accesso',
    signOut: 'Esci',
    signedOut: 'Disconnessione effettuata',
    stillSignedIn: 'Accesso ancora attivo',
    signedOutText: 'Hai effettuato la disconnessione.',
    stillSignedInText: 'Il tuo accesso è ancora attivo.',
    frameTitle: 'notifica di disconnessione',
  },

  errorPage: {
    title: 'Qualcosa è andato storto',
    code: 'Codice di errore',
  },

  formPost: {
    noScript: 'JavaScript è disattivato: premi Continua per tornare all’applicazione.',
  },

  errors: {
    loginIncorrect: 'Il nome utente o la password non sono corretti.',
    tooManyLogins: 'Troppi tentativi di accesso non riusciti. Attendi qualche minuto e riprova.',
    passkeyRefused: 'Non è stato possibile accedere con questa passkey. Riprova oppure accedi con la tua password.',
    codeWrong: 'Il codice non è corretto o è già stato usato. Inserisci il codice che la tua app mostra adesso.',
    recoveryCodeWrong: 'Il codice di recupero non è corretto o è già stato usato.',
    passwordsDiffer: 'Le due password non coincidono.',
    passwordTooShort: (min: number) => `La password deve contenere almeno ${min} ${min === 1 ? 'carattere' : 'caratteri'}.`,
    passwordTooLong: (max: number) => `La password può contenere al massimo ${max} ${max === 1 ? 'carattere' : 'caratteri'}.`,
    usernameTaken: (username: string) => `Il nome utente ${username} è già in uso.`,
    newPasswordsDiffer: 'Le nuove password non coincidono.',
    newPasswordTooShort: (min: number) => `La nuova password deve contenere almeno ${min} ${min === 1 ? 'carattere' : 'caratteri'}.`,
    newPasswordTooLong: (max: number) => `La nuova password può contenere al massimo ${max} ${max === 1 ? 'carattere' : 'caratteri'}.`,
    tooManyAccounts: 'Dalla tua rete sono stati creati troppi account. Riprova più tardi.',
    tooManyResetLinks: 'Dalla tua rete sono stati richiesti troppi link di reimpostazione. Riprova più tardi.',
    tooManyDeviceCodes: 'Troppi codici errati. Attendi qualche minuto e riprova.',
    deviceCodeWrong: 'Il codice non è valido o è scaduto. Controlla il codice sul tuo dispositivo.',
    upstreamUnreachable: (provider: string) =>
      `Al momento ${provider} non è raggiungibile. Riprova più tardi oppure accedi in un altro modo.`,
    upstreamSignInOver: 'Questo accesso è già concluso o non è stato avviato qui. Riprova.',
    upstreamAccountDisabled: 'L’account collegato a questa identità non è autorizzato ad accedere.',
    upstreamNoNewAccount: 'Non è possibile creare un nuovo account da questo accesso. Accedi oppure riprova.',
    resetLinkUnusable:
      'Questo link per reimpostare la password non funziona più: è già stato usato, è scaduto oppure la password è stata cambiata nel frattempo. Richiedine uno nuovo nella pagina di accesso.',
    confirmationLinkUnusable:
      'Questo link di conferma non funziona più: è già stato usato, è scaduto oppure l’indirizzo è stato cambiato nel frattempo. Richiedine uno nuovo dal tuo account.',
    confirmationLinkUnusableSignIn: 'Questo link di conferma non funziona più: è già stato usato, è scaduto oppure l’indirizzo è stato cambiato nel frattempo. Accedi di nuovo: un nuovo link arriverà al tuo indirizzo.',
    confirmEmailFirst: (email: string) => `Conferma prima il tuo indirizzo email: abbiamo inviato un link a ${email}. Aprilo, poi accedi di nuovo.`,
    emailRequired: 'Inserisci il tuo indirizzo email: ti invieremo un link per confermarlo.',
  },

  mail: {
    resetSubject: (username: string, host: string, first: boolean) =>
      `Imposta ${first ? 'una password' : 'una nuova password'} per ${username} su ${host}`,
    resetText: (username: string, host: string, first: boolean, minutes: number, link: string) =>
      [
        `Qualcuno ha chiesto di impostare ${first ? 'una password' : 'una nuova password'} per l’account ${username} su ${host}.`,
        '',
        `Per impostarla, apri questo link entro ${minutes} ${minutes === 1 ? 'minuto' : 'minuti'} (funziona una sola volta):`,
        link,
        '',
        // "Se la richiesta non è partita da te" avoids the gendered "Se non sei stato/a tu".
        first
          ? 'Se la richiesta non è partita da te, ignora questa email: l’account resterà senza password.'
          : 'Se la richiesta non è partita da te, ignora questa email: la tua password resterà invariata.',
      ].join('\n'),
    confirmSubject: (username: string, host: string) => `Conferma il tuo indirizzo email per ${username} su ${host}`,
    confirmText: (email: string, username: string, host: string, link: string) =>
      [
        `Conferma che ${email} è l’indirizzo email dell’account ${username} su ${host}:`,
        link,
        '',
        'Il link funziona una sola volta ed è valido per un giorno. Se non hai creato questo account né cambiato il suo indirizzo, ignora questa email.',
      ].join('\n'),
  },

  // The lines below follow a colon in `text`, so they start in lower case.
  notice: {
    subject: (username: string, host: string) => `Avviso di sicurezza per ${username} su ${host}`,
    text: (username: string, host: string, happened: string, at: string, by: string, advice: string) =>
      [`Account ${username} su ${host}: ${happened} — il ${at}${by === '' ? '' : `, ${by}`}.`, '', 'Se l’hai fatto tu, non devi fare nulla.', advice].join('\n'),
    advice: (accountUrl: string) =>
      `In caso contrario, accedi su ${accountUrl} e cambia la password (oppure usa “Password dimenticata?” nella pagina di accesso), controlla le tue passkey e la verifica in due passaggi e avvisa il tuo amministratore.`,
    deletedAdvice:
      'In caso contrario, avvisa subito il tuo amministratore: l’account, i suoi accessi e le autorizzazioni che aveva concesso alle applicazioni sono stati eliminati, e il suo nome utente può ora essere preso da chiunque.',
    byAccount: 'dall’account stesso',
    byAdministrator: 'da un amministratore',
    passwordChanged: 'la password è stata cambiata',
    passwordSetFirst: 'è stata impostata una password su un account che non ne aveva: ora si può accedere anche con una password',
    twoStepEnabled: 'la verifica in due passaggi è stata attivata',
    twoStepDisabled: 'la verifica in due passaggi è stata disattivata: ora per accedere basta la sola password',
    recoveryCodesCreated: 'sono stati creati nuovi codici di recupero (quelli precedenti non funzionano più)',
    recoveryCodeUsed: 'per accedere è stato usato un codice di recupero al posto di un codice dell’app di autenticazione',
    passkeyAdded: (name: string) => `è stata aggiunta una passkey chiamata “${name}”`,
    passkeyRemoved: (name: string) => `la passkey chiamata “${name}” è stata rimossa`,
    emailChanged: (previous: string) => `l’indirizzo email è stato cambiato e non è più ${previous} (le email non arriveranno più qui)`,
    newBrowser: (origin: string | undefined) =>
      `qualcuno ha effettuato l’accesso da un browser mai usato prima con questo account${origin === undefined ? '' : ` (${origin})`}`,
    accountDeleted: 'l’account è stato eliminato',
  },
};
