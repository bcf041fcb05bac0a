import type { AccountMessages } from './en.js';

/** French (Français): what the account console says, addressing the reader with « vous ». */
export const accountFr: AccountMessages = {
  notices: {
    'profile-saved': 'Votre profil est enregistré.',
    'profile-unchanged': 'Rien à enregistrer\u202F: votre profil n’a pas changé.',
    'language-saved': 'Votre langue est enregistrée\u202F: les pages de votre compte et vos alertes de sécurité l’utilisent désormais.',
    'language-unchanged': 'Rien à enregistrer\u202F: c’était déjà votre langue.',
    'password-changed': 'Votre mot de passe a été modifié.',
    'password-changed-elsewhere-ended': 'Votre mot de passe a été modifié et toutes vos autres sessions ont été fermées.',
    'password-set': 'Votre mot de passe est défini\u202F: il vous permet aussi de vous connecter ici.',
    'password-set-elsewhere-ended': 'Votre mot de passe est défini et toutes vos autres sessions ont été fermées.',
    'application-removed': 'L’application n’a plus accès à votre compte. Elle vous redemandera l’autorisation si vous l’utilisez.',
    'application-not-found': 'Cette application n’avait aucun accès à retirer.',
    'session-ended': 'La session est fermée.',
    'session-not-found': 'Cette session était déjà fermée.',
    'two-step-on': 'La validation en deux étapes est activée\u202F: la connexion demande un code de votre application.',
    'two-step-off': 'La validation en deux étapes est désactivée.',
    'profile-saved-confirm-email': 'Votre profil est enregistré. Pour confirmer votre nouvelle adresse e-mail, ouvrez le lien que nous y avons envoyé.',
    'email-change-pending': 'Enregistré. Votre nouvelle adresse e-mail s’appliquera dès que vous ouvrirez le lien que nous y avons envoyé\u202F; d’ici là, votre compte garde son adresse actuelle.',
    'confirmation-sent': 'Nous avons envoyé un lien à votre adresse e-mail\u202F: ouvrez-le pour confirmer l’adresse.',
    'confirmation-not-sent': 'Aucun lien n’a été envoyé\u202F: votre adresse est déjà confirmée ou un lien a été envoyé il y a moins d’une minute.',
    'recovery-codes-created': 'Vous avez de nouveaux codes de récupération\u202F; les précédents ne fonctionnent plus.',
    'passkey-added': 'Votre clé d’accès est ajoutée\u202F: la page de connexion propose «\u202FSe connecter avec une clé d’accès\u202F».',
    'passkey-removed': 'La clé d’accès est supprimée\u202F: elle ne permet plus de vous connecter. Supprimez-la aussi de votre appareil.',
    'passkey-not-found': 'Cette clé d’accès avait déjà été supprimée.',
    'passkeys-unavailable': 'Impossible d’ajouter des clés d’accès à cette adresse.',
    'upstream-disconnected': 'Cette connexion est dissociée\u202F: vous connecter là-bas ne vous connecte plus ici.',
    'upstream-not-found': 'Cette connexion n’était pas associée à votre compte.',
    'upstream-connected': 'Association effectuée\u202F: vous connecter là-bas vous connecte désormais aussi ici.',
    'upstream-taken': 'Ce compte externe est associé à un autre compte ici et le reste\u202F: rien n’a été associé.',
    'upstream-not-connected': 'Rien n’a été associé\u202F: la connexion là-bas n’a pas eu lieu.',
    'upstream-failed': 'L’association a échoué. Réessayez plus tard.',
    'upstream-unavailable': 'Cette connexion n’est pas proposée.',
  },

  message: {
    tooLargeTitle: 'Trop volumineux',
    tooLarge: 'Le formulaire est trop volumineux.',
    signedInTitle: 'Connexion effectuée',
    signedIn: 'Votre session est ouverte.',
    continueToAccount: 'Continuer vers votre compte',
    signInFailedTitle: 'Échec de la connexion',
    signInFailed: (reason: string) => `La connexion a échoué\u202F: ${reason}.`,
    signInNotStarted: 'elle n’a pas été lancée dans ce navigateur ou a expiré\u202F; recommencez',
    signInAgain: 'Se reconnecter',
    signedOutTitle: 'Déconnexion effectuée',
    signedOut: 'Votre session est fermée.',
    deletedTitle: 'Compte supprimé',
    deleted: (username: string) =>
      `Le compte ${username} est supprimé\u202F: toutes les applications ont perdu leur accès et toutes les sessions ont été fermées.`,
    formRefusedTitle: 'Formulaire refusé',
    formRefused:
      'Ce formulaire ne provient pas de votre session actuelle (la session a peut-être expiré ou le formulaire provient d’un autre site). Rien n’a été modifié. Revenez en arrière, rechargez la page et réessayez.',
    backToAccount: 'Retour à votre compte',
    notFoundTitle: 'Page introuvable',
    notFound: 'Cette page n’existe pas dans votre compte.',
    yourAccount: 'Votre compte',
    failedTitle: 'Un problème est survenu',
    failed: (requestId: string) =>
      `Votre compte n’a pas pu traiter la demande (identifiant de la demande\u202F: ${requestId}). Rien n’a été modifié.`,
  },

  // The pieces below are joined by `profileProblems` into one sentence, after « Le profil n’a pas été enregistré : ».
  refused: {
    nameTooLong: (most: number) => `le nom complet dépasse ${most} caractères`,
    givenNameTooLong: (most: number) => `le prénom dépasse ${most} caractères`,
    familyNameTooLong: (most: number) => `le nom de famille dépasse ${most} caractères`,
    emailNotValid: 'l’adresse e-mail n’est pas valide',
    emailTooLong: (most: number) => `l’adresse e-mail dépasse ${most} caractères`,
    profileProblems: (problems: readonly string[]) => `Le profil n’a pas été enregistré\u202F: ${problems.join('\u202F; ')}.`,
    languageNotOffered: 'Cette langue n’est pas proposée ici.',
    currentPasswordWrong: 'Le mot de passe actuel est incorrect.',
    passwordWrong: 'Le mot de passe est incorrect.',
    tooManyPasswords: 'Trop de mots de passe erronés. Patientez quelques minutes, puis réessayez.',
    codeWrong: 'Ce code est incorrect. Saisissez le code affiché en ce moment par votre application.',
    tooManyCodes: 'Trop de codes erronés. Patientez quelques minutes, puis réessayez.',
    confirmDeletion: 'Cochez la case pour confirmer la suppression de votre compte.',
    onlyWayIn: 'Ajoutez d’abord une clé d’accès\u202F: c’est votre seul moyen de vous connecter.',
    setupExpired: 'Cette configuration n’est plus valide\u202F: scannez le nouveau code.',
    tooManyPasskeys: (most: number) =>
      `Vous avez ${most} clés d’accès, le maximum autorisé pour un compte\u202F: supprimez-en d’abord une.`,
    passkeyNotAdded:
      'Impossible d’ajouter la clé d’accès\u202F: la réponse du navigateur n’était pas valide ou est arrivée trop tard. Réessayez.',
    passkeyKnown: 'Vous avez déjà cette clé d’accès.',
  },

  overview: {
    title: 'Votre compte',
    signedInAs: 'Compte connecté\u202F:',
    profile: 'Profil',
    fullName: 'Nom complet',
    givenName: 'Prénom',
    familyName: 'Nom de famille',
    email: 'Adresse e-mail',
    saveProfile: 'Enregistrer le profil',
    sendConfirmation: 'Envoyer un lien de confirmation',
    noEmail: 'Aucune adresse e-mail.',
    emailVerified: 'Votre adresse e-mail est vérifiée.',
    emailUnverifiedLinkMailed:
      'Votre adresse e-mail n’est pas encore vérifiée\u202F: ouvrez le lien que nous y envoyons. Une nouvelle adresse reçoit un nouveau lien.',
    emailUnverified: 'Votre adresse e-mail n’est pas vérifiée. Si vous la modifiez, elle restera non vérifiée.',
    groups: (groups: string) => `Vos groupes (définis par un administrateur)\u202F: ${groups}`,

    password: 'Mot de passe',
    noPassword: 'Aucun\u202F: vous vous connectez autrement (connexion associée, clé d’accès).',
    setPassword: 'Définir un mot de passe',
    changePassword: 'Modifier le mot de passe',

    twoStep: 'Validation en deux étapes',
    twoStepOff: 'Désactivée\u202F: votre mot de passe suffit pour vous connecter.',
    setUpAuthenticator: 'Configurer une application d’authentification',
    twoStepOnSince: (when: string) =>
      `Activée depuis le ${when}\u202F: la connexion demande un code de votre application d’authentification.`,
    recoveryCodes: 'Codes de récupération',
    noRecoveryCodesLeft:
      'Il n’en reste aucun\u202F: générez-en de nouveaux pour ne pas perdre l’accès à votre compte si vous perdez votre téléphone.',
    recoveryCodesLeft: (count: number) =>
      `Il en reste ${count}. Si vous perdez votre téléphone, chacun vous connecte une fois à la place d’un code de votre application. De nouveaux codes les remplacent tous.`,
    codeForNewRecoveryCodes: 'Code de votre application, pour obtenir de nouveaux codes de récupération',
    getNewRecoveryCodes: 'Obtenir de nouveaux codes de récupération',
    turnItOff: 'Désactiver',
    codeToTurnOff: 'Code de votre application ou code de récupération, pour la désactiver',
    turnOffTwoStep: 'Désactiver la validation en deux étapes',

    passkeys: 'Clés d’accès',
    noPasskeys:
      'Aucune pour l’instant. Une clé d’accès vous connecte grâce au verrouillage d’écran de votre appareil (empreinte digitale, visage, code PIN) au lieu de votre mot de passe et de votre code, et ne peut pas être dérobée par hameçonnage.',
    somePasskeys: 'Connectez-vous avec l’une d’elles au lieu de votre mot de passe et de votre code.',
    passkeyLine: (synced: boolean, added: string, lastUsed: string | undefined) =>
      `${synced ? 'synchronisée avec vos autres appareils' : 'conservée sur un seul appareil'}\u202F; ajoutée le ${added}${lastUsed === undefined ? '\u202F; pas encore utilisée' : `\u202F; dernière utilisation le ${lastUsed}`}`,
    removePasskey: (name: string) => `Supprimer la clé d’accès ${name}`,
    remove: 'Supprimer',
    newPasskeyName: 'Nom de la nouvelle clé d’accès (facultatif)',
    newPasskeyPlaceholder: 'Ordinateur portable',
    yourPassword: 'Votre mot de passe',
    addPasskey: 'Ajouter une clé d’accès',
    passkeysUnavailable:
      'Impossible d’ajouter des clés d’accès à cette adresse\u202F: elles nécessitent un nom de domaine servi en https (ou localhost).',

    connectedSignIns: 'Connexions associées',
    connectedSignInsIntro: 'Vous pouvez vous connecter ici avec ces comptes externes.',
    connectedLine: (connected: string, lastUsed: string | undefined) =>
      `associée le ${connected}${lastUsed === undefined ? '\u202F; pas encore utilisée' : `\u202F; dernière utilisation le ${lastUsed}`}`,
    disconnectNamed: (name: string) => `Dissocier ${name}`,
    disconnect: 'Dissocier',
    connect: (name: string) => `Associer ${name}`,

    applications: 'Applications',
    noApplications: 'Vous n’avez autorisé aucune application.',
    allowed: (when: string) => `autorisée le ${when}`,
    removeAccessOf: (client: string) => `Retirer l’accès à ${client}`,
    removeAccess: 'Retirer l’accès',

    sessions: 'Sessions',
    thisBrowser: 'Ce navigateur',
    since: (when: string) => `Depuis le ${when}`,
    signedInWith: (methods: readonly string[]) => (methods.length === 0 ? 'session ouverte' : `session ouverte avec ${methods.join(' et ')}`),
    method: {
      pwd: 'le mot de passe',
      otp: 'un code de l’application d’authentification',
      hwk: 'une clé d’accès conservée sur un seul appareil',
      swk: 'une clé d’accès',
      fed: 'une connexion associée',
    },
    sessionLine: (how: string, at: string | undefined, until: string) =>
      `${how}${at === undefined ? '' : ` le ${at}`}\u202F; valable jusqu’au ${until}`,
    endSession: 'Fermer la session',
    signOut: 'Se déconnecter',

    yourData: 'Vos données',
    yourDataIntro: 'Tout ce que ce compte conserve de vous — profil, façon de vous connecter (sans secrets), connexions associées, applications, sessions et activité — dans un fichier JSON.',
    downloadData: 'Télécharger vos données',
    deleteTitle: 'Supprimer votre compte',
    deleteIntro:
      'Votre compte disparaît avec tout ce qu’il contient\u202F: chaque application que vous avez autorisée perd son accès et chaque session est fermée. Cette action est irréversible.',
    deleteForGood: (username: string) => `Supprimer définitivement le compte ${username}`,
    deleteAccount: 'Supprimer le compte',

    language: 'Langue',
    languageLabel: 'La langue des pages de votre compte, de vos alertes de sécurité et des liens envoyés par e-mail depuis ces pages',
    defaultLanguage: (name: string) => `Langue par défaut (${name})`,
    saveLanguage: 'Enregistrer la langue',
  },

  activity: {
    title: 'Activité récente',
    intro: 'Ce qui s’est passé récemment sur votre compte, du plus récent au plus ancien. Vous ne reconnaissez pas une action\u202F? Modifiez votre mot de passe et fermez vos autres sessions.',
    none: 'Rien pour l’instant.',
    thisConsole: '«\u202FParamètres du compte\u202F»',
    line: (what: string, when: string, byAdministrator: boolean) => `${what} — ${when}${byAdministrator ? ', par un administrateur' : ''}`,
    signedIn: (application: string) => `Connexion à ${application}`,
    newBrowser: (address: string | undefined) => `Connexion depuis un navigateur jamais utilisé auparavant${address === undefined ? '' : ` (${address})`}`,
    heldBack: (application: string) => `Une connexion à ${application} a attendu la confirmation de votre adresse e-mail`,
    signedOut: 'Une session a été fermée',
    allowed: (application: string) => `Autorisation accordée à ${application}`,
    accessRemoved: (application: string) => `Accès retiré à ${application}`,
    created: 'Compte créé',
    profileChanged: 'Profil modifié',
    languageChanged: 'Langue modifiée',
    passwordChanged: 'Mot de passe modifié',
    passwordSet: 'Mot de passe défini',
    resetRequested: 'Un lien de réinitialisation du mot de passe a été envoyé à votre adresse',
    emailConfirmed: 'Adresse e-mail confirmée',
    twoStepOn: 'Validation en deux étapes activée',
    twoStepOff: 'Validation en deux étapes désactivée',
    recoveryCodesCreated: 'Nouveaux codes de récupération générés',
    recoveryCodeUsed: (application: string) => `Connexion à ${application} avec un code de récupération`,
    passkeyAdded: (name: string) => `Clé d’accès ${name} ajoutée`,
    passkeyRemoved: (name: string) => `Clé d’accès ${name} supprimée`,
    upstreamConnected: (provider: string) => `Connexion avec ${provider} associée`,
    upstreamDisconnected: (provider: string) => `Connexion avec ${provider} dissociée`,
    unlocked: 'Connexion débloquée après trop de tentatives',
    enabled: 'Compte activé',
    exported: 'Vos données ont été téléchargées',
  },

  cancel: 'Annuler',

  password: {
    change: 'Modifier le mot de passe',
    set: 'Définir un mot de passe',
    for: 'pour',
    current: 'Mot de passe actuel',
    new: 'Nouveau mot de passe',
    newAgain: 'Confirmation du nouveau mot de passe',
    signOutElsewhere: 'Fermer toutes les autres sessions',
  },

  twoStepSetup: {
    title: 'Configurer la validation en deux étapes',
    scan: 'Scannez ce code avec votre application d’authentification (toute application de codes temporels convient\u202F: Google Authenticator, Microsoft Authenticator, 1Password, Aegis…).',
    qrLabel: 'Code QR de votre nouvelle clé secrète d’authentification',
    orEnterKey: 'Ou saisissez cette clé secrète dans l’application\u202F:',
    onThisDevice: 'Sur cet appareil\u202F?',
    openInApp: 'Ouvrez-la dans votre application d’authentification',
    codeNow: 'Code affiché en ce moment par votre application',
    turnOn: 'Activer',
  },

  recoveryCodes: {
    title: 'Vos codes de récupération',
    intro:
      'Si vous perdez votre téléphone, chacun de ces codes vous connecte une fois à la place d’un code de votre application. Conservez-les en lieu sûr, dans un gestionnaire de mots de passe ou sur papier. Ils ne seront plus affichés, et les codes de récupération précédents ne fonctionnent plus.',
    saved: 'Je les ai conservés',
  },

  passkeySetup: {
    title: 'Ajouter une clé d’accès',
    intro:
      'Votre navigateur va vous demander de créer une clé d’accès pour ce site\u202F: déverrouillez votre appareil (ou votre clé de sécurité) lorsqu’il vous le demande. La clé d’accès reste sur votre appareil\u202F; ce site n’en conserve que la clé publique.',
    failed:
      'Aucune clé d’accès n’a été créée\u202F: la demande du navigateur a été annulée ou a expiré, ou cet appareil possède déjà une clé d’accès pour votre compte.',
    create: 'Créer la clé d’accès',
    needsScript: 'La création d’une clé d’accès nécessite JavaScript.',
  },
};
