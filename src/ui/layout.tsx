import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { renderWithoutAsyncHooks } from './async-context.js';
import { STYLE } from './style.js';

/** The document around every page: language, viewport, title and the one inline stylesheet. */
export function Layout(props: { title: string; lang?: string | undefined; refresh?: { seconds: number; url: string } | undefined; children?: Child }) {
  return (
    <html lang={props.lang ?? 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        {props.refresh ? <meta http-equiv="refresh" content={`${props.refresh.seconds};url=${props.refresh.url}`} /> : null}
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** Renders a page to a complete HTML document. */
export function renderDocument(page: { toString(): string | Promise<string> }): Promise<string> {
  renderWithoutAsyncHooks();
  return Promise.resolve(page.toString()).then((html) => `<!doctype html>${html}`);
}

/** The first language of `ui_locales` if it looks like a language tag, for `<html lang>`. */
export function languageOf(uiLocales: string | undefined): string | undefined {
  const first = uiLocales?.split(' ')[0];
  return first && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(first) ? first : undefined;
}
