// Opens, in the steward's browser, the copies of a release held for review that the compute parties sealed to the
// steward's key (Smpc.Governance.Review.SealedBox: ECIES over P-256, HKDF-SHA256, AES-256-GCM, bound to the review,
// dataset and party). The private key is read from the page's key field and never leaves the browser: the field has no
// name and is in no form, and nothing here sends anything. The three copies must open to the same release; the table (or,
// for a join, its joined rows and matches per pass) is shown under the review. No inline script: the CSP allows scripts from 'self' only.
(() => {
  const utf8 = s => new TextEncoder().encode(s);
  const b64 = s => Uint8Array.from(atob(s.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')), c => c.charCodeAt(0));
  const curve = { name: 'ECDH', namedCurve: 'P-256' };

  async function open(box, privateKey, recipientSpki, context) {
    const data = b64(box);
    if (data[0] !== 1) throw new Error('unknown sealed-box version');
    const n = (data[1] << 8) | data[2];
    const eph = data.slice(3, 3 + n), nonce = data.slice(3 + n, 15 + n), tag = data.slice(15 + n, 31 + n), ct = data.slice(31 + n);
    const ephKey = await crypto.subtle.importKey('spki', eph, curve, false, []);
    const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: ephKey }, privateKey, 256);
    const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
    const salt = new Uint8Array(eph.length + recipientSpki.length);
    salt.set(eph);
    salt.set(recipientSpki, eph.length);
    const raw = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info: utf8('smpc sealed box v1\n' + context) }, hkdf, 256);
    const aes = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
    const sealed = new Uint8Array(ct.length + tag.length);
    sealed.set(ct);
    sealed.set(tag, ct.length);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: utf8(context), tagLength: 128 }, aes, sealed));
  }

  function table(release) {
    const t = document.createElement('table');
    t.className = 'release';
    const head = t.createTHead().insertRow();
    for (const c of release.table) head.insertCell().textContent = c.name;
    const rows = release.table.length ? (release.table[0].text ?? release.table[0].numbers).length : 0;
    const body = t.createTBody();
    for (let r = 0; r < rows; r++) {
      const row = body.insertRow();
      for (const c of release.table) {
        const v = c.text ? c.text[r] : c.numbers[r];
        row.insertCell().textContent = v === null || v === undefined ? '—' : String(v);
      }
    }
    return t;
  }

  async function openAll(status) {
    const pkcs8 = b64(document.getElementById('review-key').value);
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, curve, true, ['deriveBits']);
    const jwk = await crypto.subtle.exportKey('jwk', privateKey);
    const publicKey = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, curve, true, []);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
    let opened = 0;
    for (const section of document.querySelectorAll('section.review')) {
      const out = section.querySelector('.opened');
      out.textContent = '';
      const texts = [];
      try {
        for (const copy of section.querySelectorAll('textarea.sealed'))
          texts.push(new TextDecoder().decode(await open(copy.value, privateKey, spki, copy.dataset.context)));
        if (texts.length !== 3 || texts.some(t => t !== texts[0])) { out.textContent = 'The three copies do not agree: do not approve.'; continue; }
        const release = JSON.parse(texts[0]);
        const p = document.createElement('p');
        if (release.matchCounts) {   // a join's counts: the joined rows and the matches per pass, as the analyst would see them
          const rows = release.joinedRows === null || release.joinedRows === undefined ? 'suppressed (below the minimum cell size)' : String(release.joinedRows);
          p.textContent = `The three compute parties' copies agree: join of ${(release.request?.datasets ?? []).join(' ⋈ ')} into '${release.dataset}'. ` +
            `Joined rows: ${rows}${release.roundingBase > 1 ? ` (rounded to a multiple of ${release.roundingBase})` : ''}.`;
          out.append(p, table({ table: [
            { name: 'pass', text: release.matchCounts.map(m => m.pass) },
            { name: 'dataset', text: release.matchCounts.map(m => m.table) },
            { name: 'matched rows', numbers: release.matchCounts.map(m => m.count) }] }));
        } else {
          p.textContent = `The three compute parties' copies agree: ${release.query}. Rules applied: ${(release.rulesApplied ?? []).join(', ') || 'none'}.`;
          out.append(p, table(release));
        }
        opened++;
      } catch (e) {
        out.textContent = `The copies do not open with this key (${e.message || e.name}).`;
      }
    }
    status.textContent = `Opened ${opened} release(s) in this browser.`;
  }

  const button = document.getElementById('open-copies');
  if (button) button.addEventListener('click', () => {
    const status = document.getElementById('open-status');
    openAll(status).catch(e => { status.textContent = `The key cannot be used: ${e.message || e.name}.`; });
  });
})();
