/**
 * The pages' one script for passkeys. Every `<form data-passkey="get|create">` (hidden until this
 * runs, in a browser that has WebAuthn) calls `navigator.credentials` with the options of its
 * `data-options` (the JSON forms of WebAuthn Level 3, base64url for bytes) when submitted, puts
 * what the authenticator answered into its `credential` input as JSON and posts it; cancelled or
 * failed, it shows its `data-failed` text in its `[data-passkey-note]` and posts nothing.
 * Its exact text is hashed into the pages' Content-Security-Policy (`csp.ts`).
 */
export const PASSKEY_SCRIPT = `(function () {
  function bytes(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var binary = atob(base64), out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out.buffer;
  }
  function text(buffer) {
    var view = new Uint8Array(buffer), binary = '';
    for (var i = 0; i < view.length; i++) binary += String.fromCharCode(view[i]);
    return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function keys(list) {
    return (list || []).map(function (key) { return { type: key.type, id: bytes(key.id) }; });
  }
  var forms = document.querySelectorAll('form[data-passkey]');
  for (var f = 0; f < forms.length; f++) (function (form) {
    if (!window.PublicKeyCredential || !navigator.credentials) return;
    form.hidden = false;
    var create = form.getAttribute('data-passkey') === 'create';
    var note = form.querySelector('[data-passkey-note]');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var options = JSON.parse(form.getAttribute('data-options'));
      options.challenge = bytes(options.challenge);
      if (create) {
        options.user.id = bytes(options.user.id);
        options.excludeCredentials = keys(options.excludeCredentials);
      } else if (options.allowCredentials) {
        options.allowCredentials = keys(options.allowCredentials);
      }
      var asked = create ? navigator.credentials.create({ publicKey: options }) : navigator.credentials.get({ publicKey: options });
      asked.then(function (credential) {
        var answer = credential.response;
        var response = create
          ? { clientDataJSON: text(answer.clientDataJSON), attestationObject: text(answer.attestationObject), transports: answer.getTransports ? answer.getTransports() : [] }
          : { clientDataJSON: text(answer.clientDataJSON), authenticatorData: text(answer.authenticatorData), signature: text(answer.signature), userHandle: answer.userHandle ? text(answer.userHandle) : undefined };
        form.elements.credential.value = JSON.stringify({
          id: credential.id,
          rawId: text(credential.rawId),
          type: credential.type,
          authenticatorAttachment: credential.authenticatorAttachment || undefined,
          clientExtensionResults: credential.getClientExtensionResults(),
          response: response
        });
        form.submit();
      }, function () {
        note.textContent = form.getAttribute('data-failed');
        note.hidden = false;
      });
    });
  })(forms[f]);
})();`;
