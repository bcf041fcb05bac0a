import { createHash } from 'node:crypto';
import { PASSKEY_SCRIPT } from './passkey-script.js';
import type { Brand } from './brand.js';

/** The form-post page's script: submit the form as soon as the page loads. */
export const AUTO_SUBMIT_SCRIPT = 'document.forms[0].submit();';

/** `'sha256-…'` CSP source of an inline element's exact text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The only inline style (`brand`'s stylesheet) and scripts the pages use, as CSP sources. */
export function cspSourcesOf(brand: Brand): { style: string[]; script: string[] } {
  return { style: [cspHash(brand.style)], script: [cspHash(AUTO_SUBMIT_SCRIPT), cspHash(PASSKEY_SCRIPT)] };
}
