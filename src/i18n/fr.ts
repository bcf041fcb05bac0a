import type { Messages } from './en.js';

/** French (français): what latchkey's pages, their messages and the mails of a sign-in say, addressing the reader as « vous ». */
export const fr: Messages = {
  name: 'Français',
  logoAlt: 'Logo',

  continueTo: (client: string) => `pour continuer vers ${client}`,
  username: 'Nom d’utilisateur',
  password: 'Mot de passe',
  signIn: 'Se connecter',
  backToSignIn: 'Retour à la connexion',
  continue: 'Continuer',

  login: {
    title: 'Se connecter',
    withPasskey: 'Se connecter avec une clé d’accès',
    passkeyOtherwise: 'connectez-vous avec votre mot de passe',
    upstreamNotConnected: (provider: string, email: string | undefined, mayCreate: boolean) =>
      `Votre compte ${provider}${email ? ` (${email})` : ''} n’est encore associé à aucun compte ici. Connectez-vous ci-dessous pour l’associer${mayCreate ? ' ou créez un nouveau compte avec celui-ci' : ''}.`,
    createWithUpstream: (provider: string) => `Créer un nouveau compte avec ${provider}`,
    signInWithUpstream: (provider: string) => `Se connecter avec ${provider}`,
    forgotPassword: 'Mot de passe oublié\u202F?',
    noAccount: 'Pas encore de compte\u202F?',
    createAccount: 'Créer un compte',
  },

  // `otherwise` is an imperative clause (« connectez-vous… », « saisissez le code »); no comma before « ou » in French.
  passkeyFailed: (otherwise: string) =>
    `Aucune clé d’accès n’a été utilisée\u202F: la demande du navigateur a été annulée ou a expiré. Réessayez ou ${otherwise}.`,

  register: {
    title: 'Créer un compte',
    nameOptional: 'Nom (facultatif)',
    email: 'Adresse e-mail',
    emailOptional: 'Adresse e-mail (facultative)',
    passwordAgain: 'Confirmation du mot de passe',
    submit: 'Créer le compte',
    haveAccount: 'Vous avez déjà un compte\u202F?',
  },

  oneTimeCode: {
    title: 'Validation en deux étapes',
    signingInAs: 'Connexion en tant que',
    codeLabel: 'Code affiché par votre application d’authentification',
    verify: 'Valider',
    lostPhone: 'Téléphone perdu\u202F? Utilisez un code de récupération',
    recoveryCodeLabel: 'L’un des codes de récupération que vous avez conservés',
    useRecoveryCode: 'Utiliser le code de récupération',
    usePasskey: 'Utiliser plutôt une clé d’accès',
    passkeyOtherwise: 'saisissez le code',
    someoneElse: 'Se connecter avec un autre compte',
  },

  forgotPassword: {
    title: 'Réinitialiser votre mot de passe',
    sentByUsernameOrEmail:
      'S’il s’agit du nom d’utilisateur ou de l’adresse e-mail d’un compte, un lien permettant de définir un nouveau mot de passe vient d’être envoyé à l’adresse de ce compte.',
    sentByUsername:
      'S’il s’agit du nom d’utilisateur d’un compte doté d’une adresse e-mail, un lien permettant de définir un nouveau mot de passe vient d’y être envoyé.',
    openWithin: (minutes: number) =>
      `Ouvrez-le ${minutes > 1 ? `dans les ${minutes} prochaines minutes` : 'dans la minute qui suit'}.`,
    intro: 'Nous allons envoyer à l’adresse e-mail de votre compte un lien permettant de définir un nouveau mot de passe.',
    usernameOrEmail: 'Nom d’utilisateur ou adresse e-mail',
    send: 'Envoyer le lien',
  },

  // « du compte ${username} » rather than « de ${username} »: avoids « de alice » / « d’alice » elision issues.
  resetPassword: {
    title: 'Définir un nouveau mot de passe',
    titleFirst: 'Définir un mot de passe',
    done: (username: string) =>
      `Le mot de passe du compte ${username} a été modifié et toutes les sessions de ce compte ont été fermées.`,
    doneFirst: (username: string) =>
      `Le mot de passe du compte ${username} a été défini et toutes les sessions de ce compte ont été fermées.`,
    for: 'Pour',
    newPassword: 'Nouveau mot de passe',
    newPasswordAgain: 'Confirmation du nouveau mot de passe',
    submit: 'Définir le mot de passe',
    signInWithNew: 'Se connecter avec le nouveau mot de passe',
    signInToAccount: 'Se connecter à votre compte',
  },

  // « L’adresse <strong>…</strong> est confirmée… » / « L’adresse <strong>…</strong> est-elle bien celle… ? »
  verifyEmail: {
    title: 'Confirmer votre adresse e-mail',
    confirmedBefore: 'L’adresse ',
    confirmedAfter: (username: string) => ` est confirmée comme adresse e-mail du compte ${username}.`,
    questionBefore: 'L’adresse ',
    questionAfter: (username: string) => ` est-elle bien celle du compte ${username}\u202F?`,
    confirm: 'Confirmer',
  },

  consent: {
    title: (client: string) => `Autoriser ${client}\u202F?`,
    // Followed by the bold name; avoids the gendered « Connecté(e) en tant que ».
    signedInAs: 'Compte connecté\u202F:',
    asksFor: (client: string) => `${client} demande\u202F:`,
    privacyPolicy: 'Politique de confidentialité',
    termsOfService: 'Conditions d’utilisation',
    allow: 'Autoriser',
    deny: 'Refuser',
  },

  scopes: {
    openid: 'Confirmer votre identité (l’identifiant de votre compte)',
    profile: 'Votre profil de base\u202F: nom, nom d’utilisateur, photo et langue',
    email: 'Votre adresse e-mail et son statut de vérification',
    address: 'Votre adresse postale',
    phone: 'Votre numéro de téléphone',
    groups: 'Les groupes dont vous faites partie',
    offline_access: 'Rester connecté en votre absence (l’accès est conservé jusqu’à ce que vous le révoquiez)',
  },
  apiScope: (scope: string, api: string) => `${scope} sur ${api}`,
  // Every name below is singular so that « Votre … » fits.
  claim: (name: string) => `Votre ${name}`,
  claims: {
    name: 'nom complet',
    given_name: 'prénom',
    family_name: 'nom de famille',
    middle_name: 'deuxième prénom',
    nickname: 'surnom',
    preferred_username: 'nom d’utilisateur',
    profile: 'page de profil',
    picture: 'photo',
    website: 'site web',
    gender: 'genre',
    birthdate: 'date de naissance',
    zoneinfo: 'fuseau horaire',
    locale: 'langue',
    updated_at: 'date de mise à jour du profil',
    email: 'adresse e-mail',
    email_verified: 'statut de vérification de l’adresse e-mail',
    address: 'adresse postale',
    phone_number: 'numéro de téléphone',
    phone_number_verified: 'statut de vérification du numéro de téléphone',
    groups: 'appartenance à des groupes',
  },

  device: {
    title: 'Connecter un appareil',
    intro: 'Saisissez le code affiché sur votre appareil.',
    code: 'Code',
    connected: 'Appareil connecté',
    notConnected: 'Appareil non connecté',
    connectedText: (client: string) => `${client} peut maintenant continuer sur votre appareil. Vous pouvez fermer cette page.`,
    notConnectedText: (client: string) => `L’accès n’a pas été accordé à ${client}. Vous pouvez fermer cette page.`,
  },

  // Phrased around « session » where possible to avoid gendered « déconnecté(e) ».
  logout: {
    title: 'Se déconnecter\u202F?',
    clientAsks: (client: string) => `${client} demande votre déconnexion.`,
    question: 'Voulez-vous vous déconnecter\u202F?',
    stay: 'Rester connecté',
    signOut: 'Se déconnecter',
    signedOut: 'Déconnexion effectuée',
    stillSignedIn: 'Session toujours ouverte',
    signedOutText: 'Votre session est fermée.',
    stillSignedInText: 'Votre session est toujours ouverte.',
    frameTitle: 'notification de déconnexion',
  },

  errorPage: {
    title: 'Un problème est survenu',
    code: 'Code d’erreur',
  },

  formPost: {
    noScript: 'JavaScript est désactivé\u202F: appuyez sur Continuer pour revenir à l’application.',
  },

  errors: {
    loginIncorrect: 'Le nom d’utilisateur ou le mot de passe est incorrect.',
    tooManyLogins: 'Trop de tentatives de connexion ont échoué. Patientez quelques minutes, puis réessayez.',
    passkeyRefused: 'Cette clé d’accès n’a pas permis de vous connecter. Réessayez ou connectez-vous avec votre mot de passe.',
    codeWrong: 'Ce code est incorrect ou a déjà été utilisé. Saisissez le code affiché en ce moment par votre application.',
    recoveryCodeWrong: 'Ce code de récupération est incorrect ou a déjà été utilisé.',
    passwordsDiffer: 'Les deux mots de passe ne correspondent pas.',
    passwordTooShort: (min: number) => `Le mot de passe doit comporter au moins ${min} caractères.`,
    passwordTooLong: (max: number) => `Le mot de passe doit comporter au plus ${max} caractères.`,
    usernameTaken: (username: string) => `Le nom d’utilisateur ${username} est déjà pris.`,
    newPasswordsDiffer: 'Les nouveaux mots de passe ne correspondent pas.',
    newPasswordTooShort: (min: number) => `Le nouveau mot de passe doit comporter au moins ${min} caractères.`,
    newPasswordTooLong: (max: number) => `Le nouveau mot de passe doit comporter au plus ${max} caractères.`,
    tooManyAccounts: 'Trop de comptes ont été créés depuis votre réseau. Réessayez plus tard.',
    tooManyResetLinks: 'Trop de liens de réinitialisation ont été demandés depuis votre réseau. Réessayez plus tard.',
    tooManyDeviceCodes: 'Trop de codes erronés. Patientez quelques minutes, puis réessayez.',
    deviceCodeWrong: 'Ce code n’est pas valide ou a expiré. Vérifiez le code affiché sur votre appareil.',
    upstreamUnreachable: (provider: string) =>
      `${provider} est injoignable pour le moment. Réessayez plus tard ou connectez-vous d’une autre manière.`,
    upstreamSignInOver: 'Cette connexion est terminée ou n’a pas été lancée ici. Réessayez.',
    upstreamAccountDisabled: 'Le compte associé à cette identité n’est pas autorisé à se connecter.',
    upstreamNoNewAccount: 'Impossible de créer un compte à partir de cette connexion. Connectez-vous ou réessayez.',
    resetLinkUnusable:
      'Ce lien de réinitialisation du mot de passe n’est plus valide\u202F: il a déjà été utilisé, il a expiré ou le mot de passe a été modifié depuis. Demandez-en un nouveau sur la page de connexion.',
    confirmationLinkUnusable:
      'Ce lien de confirmation n’est plus valide\u202F: il a déjà été utilisé, il a expiré ou l’adresse a été modifiée depuis. Demandez-en un nouveau depuis votre compte.',
    confirmationLinkUnusableSignIn: 'Ce lien de confirmation n’est plus valide\u202F: il a déjà été utilisé, il a expiré ou l’adresse a été modifiée depuis. Reconnectez-vous\u202F: un nouveau lien sera envoyé à votre adresse.',
    confirmEmailFirst: (email: string) => `Confirmez d’abord votre adresse e-mail\u202F: nous avons envoyé un lien à ${email}. Ouvrez-le, puis reconnectez-vous.`,
    emailRequired: 'Saisissez votre adresse e-mail\u202F: nous y envoyons un lien pour la confirmer.',
  },

  mail: {
    resetSubject: (username: string, host: string, first: boolean) =>
      `Définir ${first ? 'un mot de passe' : 'un nouveau mot de passe'} pour le compte ${username} sur ${host}`,
    resetText: (username: string, host: string, first: boolean, minutes: number, link: string) =>
      [
        `Quelqu’un a demandé à définir ${first ? 'un mot de passe' : 'un nouveau mot de passe'} pour le compte ${username} sur ${host}.`,
        '',
        `Pour le définir, ouvrez ce lien ${minutes > 1 ? `dans les ${minutes} prochaines minutes` : 'dans la minute qui suit'} (il ne fonctionne qu’une fois)\u202F:`,
        link,
        '',
        first
          ? 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message\u202F: le compte restera sans mot de passe.'
          : 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message\u202F: votre mot de passe restera inchangé.',
      ].join('\n'),
    confirmSubject: (username: string, host: string) => `Confirmez votre adresse e-mail pour le compte ${username} sur ${host}`,
    confirmText: (email: string, username: string, host: string, link: string) =>
      [
        `Veuillez confirmer que ${email} est bien l’adresse e-mail du compte ${username} sur ${host}\u202F:`,
        link,
        '',
        'Ce lien ne fonctionne qu’une fois, pendant 24 heures. Si vous n’avez pas créé ce compte ni modifié son adresse, ignorez ce message.',
      ].join('\n'),
  },

  notice: {
    subject: (username: string, host: string) => `Alerte de sécurité pour le compte ${username} sur ${host}`,
    text: (username: string, host: string, happened: string, at: string, by: string, advice: string) =>
      [`Sur le compte ${username} sur ${host}\u202F: ${happened} — le ${at}${by === '' ? '' : `, ${by}`}.`, '', 'Si c’était vous, vous n’avez rien à faire.', advice].join('\n'),
    advice: (accountUrl: string) =>
      `Sinon, connectez-vous sur ${accountUrl} et changez votre mot de passe (ou utilisez «\u202FMot de passe oublié\u202F?\u202F» sur la page de connexion), vérifiez vos clés d’accès et la validation en deux étapes, et prévenez votre administrateur.`,
    deletedAdvice: 'Sinon, prévenez immédiatement votre administrateur\u202F: le compte, ses connexions et les accès qu’il avait accordés à des applications ont disparu, et son nom d’utilisateur peut être repris par n’importe qui.',
    byAccount: 'depuis le compte lui-même',
    byAdministrator: 'par un administrateur',
    passwordChanged: 'le mot de passe a été modifié',
    passwordSetFirst: 'un mot de passe a été défini alors que le compte n’en avait pas\u202F: il se connecte désormais aussi avec un mot de passe',
    twoStepEnabled: 'la validation en deux étapes a été activée',
    twoStepDisabled: 'la validation en deux étapes a été désactivée\u202F: le mot de passe seul suffit désormais pour se connecter',
    recoveryCodesCreated: 'de nouveaux codes de récupération ont été créés (les précédents ne fonctionnent plus)',
    recoveryCodeUsed: 'un code de récupération a été utilisé pour se connecter, à la place d’un code de l’application d’authentification',
    passkeyAdded: (name: string) => `une clé d’accès nommée «\u202F${name}\u202F» a été ajoutée`,
    passkeyRemoved: (name: string) => `la clé d’accès nommée «\u202F${name}\u202F» a été supprimée`,
    emailChanged: (previous: string) => `l’adresse e-mail ${previous} a été remplacée (les messages n’arrivent plus ici)`,
    newBrowser: (origin: string | undefined) => `quelqu’un s’est connecté depuis un navigateur que ce compte n’avait jamais utilisé${origin === undefined ? '' : ` (${origin})`}`,
    accountDeleted: 'le compte a été supprimé',
  },
};
