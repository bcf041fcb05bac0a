import { raw } from 'hono/html';
import { messagesFor } from '../i18n/index.js';
import type { Child } from 'hono/jsx';
import { renderWithoutAsyncHooks } from './async-context.js';
import { NO_BRAND, type Brand } from './brand.js';

/**
 * The document around every page: language, viewport, title and the one inline stylesheet; the
 * brand's logo and name above the page, its name after the title.
 */
export function Layout(props: { title: string; brand?: Brand | undefined; lang?: string | undefined; refresh?: { seconds: number; url: string } | undefined; children?: Child }) {
  const brand = props.brand ?? NO_BRAND;
  return (
    <html lang={props.lang ?? 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{brand.name === undefined ? props.title : `${props.title} · ${brand.name}`}</title>
        {props.refresh ? <meta http-equiv="refresh" content={`${props.refresh.seconds};url=${props.refresh.url}`} /> : null}
        <style>{raw(brand.style)}</style>
      </head>
      <body>
        <main>
          {brand.name !== undefined || brand.logoUrl !== undefined ? (
            <div class="brand">
              {brand.logoUrl === undefined ? null : <img src={brand.logoUrl} alt={brand.name === undefined ? messagesFor(props.lang).logoAlt : ''} />}
              {brand.name === undefined ? null : <span>{brand.name}</span>}
            </div>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Renders a page to a complete HTML document. */
export function renderDocument(page: { toString(): string | Promise<string> }): Promise<string> {
  renderWithoutAsyncHooks();
  return Promise.resolve(page.toString()).then((html) => `<!doctype html>${html}`);
}
