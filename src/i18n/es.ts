import type { Messages } from './en.js';

/** Spanish (español): what latchkey's pages, the messages they show and the mails of a sign-in say, in neutral international Spanish addressing the reader as «usted». */
export const es: Messages = {
  name: 'Español',
  logoAlt: 'Logotipo',

  continueTo: (client: string) => `para continuar en ${client}`,
  username: 'Nombre de usuario',
  password: 'Contraseña',
  signIn: 'Iniciar sesión',
  // Not «Volver a iniciar sesión», which reads as "sign in again".
  backToSignIn: 'Volver al inicio de sesión',
  continue: 'Continuar',

  login: {
    title: 'Iniciar sesión',
    withPasskey: 'Iniciar sesión con una llave de acceso',
    passkeyOtherwise: 'inicie sesión con su contraseña',
    upstreamNotConnected: (provider: string, email: string | undefined, mayCreate: boolean) =>
      `Su cuenta de ${provider}${email ? ` (${email})` : ''} aún no está vinculada a ninguna cuenta de este sitio. Inicie sesión a continuación para vincularla${mayCreate ? ' o cree una cuenta nueva con ella' : ''}.`,
    createWithUpstream: (provider: string) => `Crear una cuenta nueva con ${provider}`,
    signInWithUpstream: (provider: string) => `Iniciar sesión con ${provider}`,
    forgotPassword: '¿Olvidó su contraseña?',
    noAccount: '¿Aún no tiene una cuenta?',
    createAccount: 'Crear una cuenta',
  },

  // "Vuelva a intentarlo o <otherwise>.": both passkeyOtherwise are imperative clauses; no comma before «o».
  passkeyFailed: (otherwise: string) =>
    `No se usó ninguna llave de acceso: la solicitud del navegador se canceló o se agotó el tiempo de espera. Vuelva a intentarlo o ${otherwise}.`,

  register: {
    title: 'Crear una cuenta',
    nameOptional: 'Nombre (opcional)',
    email: 'Correo electrónico',
    emailOptional: 'Correo electrónico (opcional)',
    passwordAgain: 'Repita la contraseña',
    submit: 'Crear cuenta',
    haveAccount: '¿Ya tiene una cuenta?',
  },

  oneTimeCode: {
    title: 'Verificación en dos pasos',
    // Followed by the bold username, then " para continuar en <app>".
    signingInAs: 'Iniciando sesión como',
    codeLabel: 'Código de su aplicación de autenticación',
    verify: 'Verificar',
    lostPhone: '¿Perdió su teléfono? Use un código de recuperación',
    recoveryCodeLabel: 'Uno de los códigos de recuperación que guardó',
    useRecoveryCode: 'Usar código de recuperación',
    usePasskey: 'Usar una llave de acceso en su lugar',
    // «escriba» rather than «introduzca» (Spain) or «ingrese» (Latin America): understood the same everywhere.
    passkeyOtherwise: 'escriba el código',
    someoneElse: 'Iniciar sesión con otra cuenta',
  },

  forgotPassword: {
    title: 'Restablecer la contraseña',
    sentByUsernameOrEmail:
      'Si es el nombre de usuario o la dirección de correo electrónico de una cuenta, se está enviando a la dirección de esa cuenta un enlace para establecer una contraseña nueva.',
    sentByUsername:
      'Si es el nombre de usuario de una cuenta con dirección de correo electrónico, se está enviando a esa dirección un enlace para establecer una contraseña nueva.',
    openWithin: (minutes: number) => `Ábralo en un plazo de ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
    intro: 'Enviaremos un enlace para establecer una contraseña nueva a la dirección de correo electrónico de su cuenta.',
    usernameOrEmail: 'Nombre de usuario o correo electrónico',
    send: 'Enviar enlace',
  },

  resetPassword: {
    title: 'Establecer una contraseña nueva',
    titleFirst: 'Establecer una contraseña',
    done: (username: string) => `Se cambió la contraseña de la cuenta ${username} y se cerraron todas sus sesiones.`,
    doneFirst: (username: string) => `Se estableció la contraseña de la cuenta ${username} y se cerraron todas sus sesiones.`,
    // Followed by the bold username.
    for: 'Para la cuenta',
    newPassword: 'Contraseña nueva',
    newPasswordAgain: 'Repita la contraseña nueva',
    submit: 'Establecer contraseña',
    signInWithNew: 'Iniciar sesión con la contraseña nueva',
    signInToAccount: 'Iniciar sesión en su cuenta',
  },

  // «La dirección <strong>…</strong> está confirmada…» / «¿Es <strong>…</strong> la dirección…?»
  verifyEmail: {
    title: 'Confirmar la dirección de correo electrónico',
    confirmedBefore: 'La dirección ',
    confirmedAfter: (username: string) => ` está confirmada como la dirección de correo electrónico de la cuenta ${username}.`,
    questionBefore: '¿Es ',
    questionAfter: (username: string) => ` la dirección de correo electrónico de la cuenta ${username}?`,
    confirm: 'Confirmar',
  },

  consent: {
    // «¿Permitir el acceso a X?» could read as access *to* X; this says who gets access.
    title: (client: string) => `¿Permitir que ${client} acceda a su cuenta?`,
    // Followed by the bold name; avoids the gendered «Conectado/a como».
    signedInAs: 'Sesión iniciada como',
    // Followed by a list of noun phrases (scopes and claims below).
    asksFor: (client: string) => `${client} solicita:`,
    privacyPolicy: 'Política de privacidad',
    termsOfService: 'Condiciones del servicio',
    allow: 'Permitir',
    deny: 'Denegar',
  },

  scopes: {
    openid: 'Confirmar su identidad (el identificador de su cuenta)',
    profile: 'Su perfil básico: nombre, nombre de usuario, foto y configuración regional',
    email: 'Su dirección de correo electrónico y si está verificada',
    address: 'Su dirección postal',
    phone: 'Su número de teléfono',
    groups: 'Los grupos a los que pertenece',
    offline_access: 'Mantener el acceso cuando no esté usando la aplicación (hasta que usted lo revoque)',
  },
  apiScope: (scope: string, api: string) => `${scope} en ${api}`,
  // Every name below is singular so that «Su …» fits.
  claim: (name: string) => `Su ${name}`,
  claims: {
    name: 'nombre completo',
    given_name: 'nombre de pila',
    family_name: 'apellido',
    middle_name: 'segundo nombre',
    nickname: 'apodo',
    preferred_username: 'nombre de usuario',
    profile: 'página de perfil',
    picture: 'foto',
    website: 'sitio web',
    gender: 'género',
    birthdate: 'fecha de nacimiento',
    zoneinfo: 'zona horaria',
    locale: 'configuración regional',
    updated_at: 'fecha de la última actualización del perfil',
    email: 'dirección de correo electrónico',
    email_verified: 'estado de verificación del correo electrónico',
    address: 'dirección postal',
    phone_number: 'número de teléfono',
    phone_number_verified: 'estado de verificación del número de teléfono',
    groups: 'pertenencia a grupos',
  },

  device: {
    title: 'Conectar un dispositivo',
    intro: 'Escriba el código que aparece en su dispositivo.',
    code: 'Código',
    connected: 'Dispositivo conectado',
    notConnected: 'Dispositivo no conectado',
    connectedText: (client: string) => `${client} ya puede continuar en su dispositivo. Puede cerrar esta página.`,
    notConnectedText: (client: string) => `No se concedió acceso a ${client}. Puede cerrar esta página.`,
  },

  // Phrased around «sesión» to avoid the gendered «conectado/a».
  logout: {
    title: '¿Cerrar sesión?',
    clientAsks: (client: string) => `${client} solicita cerrar su sesión.`,
    question: '¿Desea cerrar sesión?',
    stay: 'Mantener la sesión iniciada',
    signOut: 'Cerrar sesión',
    signedOut: 'Sesión cerrada',
    stillSignedIn: 'La sesión sigue abierta',
    signedOutText: 'Su sesión está cerrada.',
    stillSignedInText: 'Su sesión sigue abierta.',
    frameTitle: 'notificación de cierre de sesión',
  },

  errorPage: {
    title: 'Algo salió mal',
    code: 'Código de error',
  },

  formPost: {
    // «seleccione»: neutral between «pulse» (Spain), «presione» (Latin America) and «haga clic» (mouse only).
    noScript: 'JavaScript está desactivado: seleccione Continuar para volver a la aplicación.',
  },

  errors: {
    loginIncorrect: 'El nombre de usuario o la contraseña no son correctos.',
    tooManyLogins: 'Demasiados intentos fallidos de inicio de sesión. Espere unos minutos y vuelva a intentarlo.',
    passkeyRefused: 'No se pudo iniciar sesión con esa llave de acceso. Vuelva a intentarlo o inicie sesión con su contraseña.',
    codeWrong: 'Ese código no es correcto o ya se usó. Escriba el código que muestra ahora su aplicación.',
    recoveryCodeWrong: 'Ese código de recuperación no es correcto o ya se usó.',
    passwordsDiffer: 'Las dos contraseñas no coinciden.',
    passwordTooShort: (min: number) => `La contraseña debe tener al menos ${min} caracteres.`,
    passwordTooLong: (max: number) => `La contraseña debe tener como máximo ${max} caracteres.`,
    usernameTaken: (username: string) => `El nombre de usuario ${username} ya está en uso.`,
    newPasswordsDiffer: 'Las contraseñas nuevas no coinciden.',
    newPasswordTooShort: (min: number) => `La contraseña nueva debe tener al menos ${min} caracteres.`,
    newPasswordTooLong: (max: number) => `La contraseña nueva debe tener como máximo ${max} caracteres.`,
    tooManyAccounts: 'Se crearon demasiadas cuentas desde su red. Vuelva a intentarlo más tarde.',
    tooManyResetLinks: 'Se solicitaron demasiados enlaces de restablecimiento desde su red. Vuelva a intentarlo más tarde.',
    tooManyDeviceCodes: 'Demasiados códigos incorrectos. Espere unos minutos y vuelva a intentarlo.',
    deviceCodeWrong: 'Ese código no es válido o ya expiró. Revise el código que aparece en su dispositivo.',
    upstreamUnreachable: (provider: string) =>
      `En este momento no es posible conectar con ${provider}. Vuelva a intentarlo más tarde o inicie sesión de otra forma.`,
    upstreamSignInOver: 'Ese inicio de sesión ya terminó o no se inició aquí. Vuelva a intentarlo.',
    upstreamAccountDisabled: 'La cuenta vinculada a esa identidad no tiene permitido iniciar sesión.',
    upstreamNoNewAccount: 'No se puede crear una cuenta nueva a partir de ese inicio de sesión. Inicie sesión o vuelva a intentarlo.',
    resetLinkUnusable:
      'Este enlace para restablecer la contraseña ya no funciona: ya se usó, expiró o la contraseña se cambió después. Solicite uno nuevo en la página de inicio de sesión.',
    confirmationLinkUnusable:
      'Este enlace de confirmación ya no funciona: ya se usó, expiró o la dirección se cambió después. Solicite uno nuevo en su cuenta.',
    confirmationLinkUnusableSignIn: 'Este enlace de confirmación ya no funciona: ya se usó, expiró o la dirección se cambió después. Vuelva a iniciar sesión: le enviaremos uno nuevo a su dirección.',
    confirmEmailFirst: (email: string) => `Primero confirme su dirección de correo electrónico: le enviamos un enlace a ${email}. Ábralo y vuelva a iniciar sesión.`,
    emailRequired: 'Introduzca su dirección de correo electrónico: le enviaremos un enlace para confirmarla.',
  },

  mail: {
    resetSubject: (username: string, host: string, first: boolean) =>
      `Establecer ${first ? 'una contraseña' : 'una contraseña nueva'} para ${username} en ${host}`,
    resetText: (username: string, host: string, first: boolean, minutes: number, link: string) =>
      [
        `Alguien solicitó establecer ${first ? 'una contraseña' : 'una contraseña nueva'} para la cuenta ${username} en ${host}.`,
        '',
        `Para hacerlo, abra este enlace en un plazo de ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'} (solo funciona una vez):`,
        link,
        '',
        first
          ? 'Si no fue usted, ignore este mensaje: la cuenta seguirá sin contraseña.'
          : 'Si no fue usted, ignore este mensaje: su contraseña no cambiará.',
      ].join('\n'),
    confirmSubject: (username: string, host: string) => `Confirme su dirección de correo electrónico para ${username} en ${host}`,
    confirmText: (email: string, username: string, host: string, link: string) =>
      [
        `Por favor, confirme que ${email} es la dirección de correo electrónico de la cuenta ${username} en ${host}:`,
        link,
        '',
        'El enlace funciona una sola vez y durante un día. Si usted no creó esta cuenta ni cambió su dirección, ignore este mensaje.',
      ].join('\n'),
  },

  // The lines below follow a colon in `text`, so they start in lowercase (as Spanish writes after «:»).
  // Simple past («se cambió»): correct in Spain and Latin America alike with a stated time.
  notice: {
    subject: (username: string, host: string) => `Aviso de seguridad para ${username} en ${host}`,
    text: (username: string, host: string, happened: string, at: string, by: string, advice: string) =>
      [`En la cuenta ${username} de ${host}: ${happened} — el ${at}${by === '' ? '' : `, ${by}`}.`, '', 'Si fue usted, no tiene que hacer nada.', advice].join('\n'),
    advice: (accountUrl: string) =>
      `Si no fue usted, inicie sesión en ${accountUrl} y cambie su contraseña (o use «¿Olvidó su contraseña?» en la página de inicio de sesión), revise sus llaves de acceso y la verificación en dos pasos, y avise a su administrador.`,
    deletedAdvice:
      'Si no fue usted, avise de inmediato a su administrador: la cuenta, sus sesiones y los permisos que había concedido a aplicaciones ya no existen, y cualquier persona puede registrar su nombre de usuario.',
    byAccount: 'desde la propia cuenta',
    // «por parte de» rather than «por»: the lines are reflexive passives («se cambió…»).
    byAdministrator: 'por parte de un administrador',
    passwordChanged: 'se cambió la contraseña',
    passwordSetFirst: 'se estableció una contraseña en una cuenta que no tenía ninguna: ahora también se puede iniciar sesión con contraseña',
    twoStepEnabled: 'se activó la verificación en dos pasos',
    twoStepDisabled: 'se desactivó la verificación en dos pasos: ahora basta con la contraseña para iniciar sesión',
    recoveryCodesCreated: 'se generaron nuevos códigos de recuperación (los anteriores ya no funcionan)',
    recoveryCodeUsed: 'se usó un código de recuperación para iniciar sesión, en lugar de un código de la aplicación de autenticación',
    passkeyAdded: (name: string) => `se añadió una llave de acceso llamada «${name}»`,
    passkeyRemoved: (name: string) => `se eliminó la llave de acceso llamada «${name}»`,
    emailChanged: (previous: string) => `se sustituyó la dirección de correo electrónico ${previous} por otra (los mensajes ya no llegarán a esta dirección)`,
    newBrowser: (origin: string | undefined) =>
      `alguien inició sesión desde un navegador que esta cuenta no había usado antes${origin === undefined ? '' : ` (${origin})`}`,
    accountDeleted: 'se eliminó la cuenta',
  },
};
