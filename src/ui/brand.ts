import { BRAND_COLOR, type Config } from '../core/config.js';
import { STYLE } from './style.js';

/** How an organization dresses latchkey's pages: its name, its logo, its colour. */
export interface BrandOptions {
  /** Shown above every page and after each page's title. */
  name?: string | undefined;
  /** An https URL (or a `data:` image) of the logo shown above every page. */
  logoUrl?: string | undefined;
  /** The accent of buttons and links, as `#rgb` or `#rrggbb`. */
  color?: string | undefined;
}

/** What the pages are rendered with: the brand's name and logo, and the stylesheet with its colour. */
export interface Brand {
  readonly name?: string;
  readonly logoUrl?: string;
  /** The pages' one inline stylesheet: latchkey's, then the brand's accent (its hash goes into the CSP). */
  readonly style: string;
}

/** The pages as latchkey ships them: no name, no logo, its own colours. */
export const NO_BRAND: Brand = { style: STYLE };

/**
 * The brand of `options`. The colour replaces the accent in both the light and the dark scheme,
 * with black or white text on it, whichever contrasts more (WCAG 2 relative luminance).
 * @throws Error — a colour that is not `#rgb` / `#rrggbb` (configuration validates it first).
 */
export function brandOf(options: BrandOptions): Brand {
  const { name, logoUrl, color } = options;
  if (color !== undefined && !BRAND_COLOR.test(color)) throw new Error(`brand colour ${JSON.stringify(color)} is not #rgb or #rrggbb`);
  if (name === undefined && logoUrl === undefined && color === undefined) return NO_BRAND;
  const accent = color === undefined ? '' : `:root{--accent:${color};--accent-text:${textOn(color)}}\n`;
  return { ...(name === undefined ? {} : { name }), ...(logoUrl === undefined ? {} : { logoUrl }), style: STYLE + accent };
}

/** The brand `config` sets (`brandName`, `brandLogoUrl`, `brandColor`). */
export function configuredBrand(config: Pick<Config, 'brandName' | 'brandLogoUrl' | 'brandColor'>): Brand {
  return brandOf({ name: config.brandName, logoUrl: config.brandLogoUrl, color: config.brandColor });
}

/** Black or white, whichever contrasts more with `color` (`#rgb` / `#rrggbb`). */
function textOn(color: string): string {
  const hex = color.length === 4 ? [...color.slice(1)].map((digit) => digit + digit).join('') : color.slice(1);
  const [r, g, b] = [0, 2, 4].map((at) => linear(parseInt(hex.slice(at, at + 2), 16) / 255)) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white (1.05 / (L + 0.05)) against contrast with black ((L + 0.05) / 0.05).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#fff' : '#000';
}

/** An sRGB channel (0–1) made linear. */
function linear(channel: number): number {
  return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
}
