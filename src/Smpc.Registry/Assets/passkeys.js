// Passkeys (WebAuthn) for the registry's pages. A form with data-passkey="create" or "sign-in" gets its options from
// the page (POST ?handler=…Options, antiforgery token in the header), asks the browser's authenticator, and posts the
// credential's JSON back in the form's CredentialJson field. No inline script: the CSP allows scripts from 'self' only.
(() => {
  async function options(form, handler) {
    const token = form.querySelector('input[name="__RequestVerificationToken"]').value;
    const response = await fetch(`${location.pathname}?handler=${handler}`, { method: 'POST', headers: { RequestVerificationToken: token } });
    if (!response.ok) throw new Error(`options: ${response.status}`);
    return await response.json();
  }

  async function run(form) {
    const status = form.querySelector('[data-passkey-status]');
    try {
      let credential;
      if (form.dataset.passkey === 'create') {
        const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(await options(form, 'CreationOptions'));
        credential = await navigator.credentials.create({ publicKey });
      } else {
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(await options(form, 'RequestOptions'));
        credential = await navigator.credentials.get({ publicKey });
      }
      form.querySelector('input[name="CredentialJson"]').value = JSON.stringify(credential.toJSON());
      form.submit();
    } catch (e) {
      if (status) status.textContent = `The passkey could not be used: ${e.message}`;
    }
  }

  for (const form of document.querySelectorAll('form[data-passkey]')) {
    form.addEventListener('submit', event => {
      if (form.querySelector('input[name="CredentialJson"]').value) return;
      event.preventDefault();
      run(form);
    });
  }
})();
