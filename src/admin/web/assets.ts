/**
 * The console's stylesheet and its one small script, served from `/admin/assets/` under a CSP
 * that allows nothing else (`style-src` and `script-src` name this folder only). The script is
 * progressive enhancement: every page works without it. It refreshes the dashboard's figures
 * and adds "Copy" buttons to code snippets.
 */
import { createHash } from 'node:crypto';

/** The console's stylesheet. System fonts only; light and dark. */
export const ADMIN_CSS = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1b1f24;--muted:#57606a;--accent:#0b5cd5;--accent-text:#fff;--border:#d0d7de;--danger:#b42318;--danger-bg:#fdecea;--ok:#1a7f37;--ok-bg:#dafbe1;--warn:#9a6700;--warn-bg:#fff8c5;--code:#eef1f4;--c1:#0b5cd5;--c2:#d1480b;--c3:#1a7f37;--c4:#8250df;--c5:#b42318}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#1a1d23;--text:#e6e8eb;--muted:#a0a7b1;--accent:#5b9dff;--accent-text:#0b0d10;--border:#343a44;--danger:#ff8a80;--danger-bg:#3a1d1b;--ok:#56d364;--ok-bg:#12261a;--warn:#e3b341;--warn-bg:#2e2610;--code:#23272f;--c1:#5b9dff;--c2:#ff9a5b;--c3:#56d364;--c4:#c297ff;--c5:#ff8a80}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--card);padding:.5rem;z-index:2}
header.top{display:flex;align-items:center;gap:1rem;justify-content:space-between;padding:.6rem 1.25rem;background:var(--card);border-bottom:1px solid var(--border)}
header.top .brand{font-weight:700;text-decoration:none;color:var(--text)}
header.top form{margin:0}
.shell{display:flex;align-items:flex-start;min-height:calc(100vh - 3rem)}
nav.side{flex:0 0 13rem;padding:1rem .75rem}
nav.side ul{list-style:none;margin:0;padding:0}
nav.side a{display:block;padding:.4rem .65rem;border-radius:6px;text-decoration:none;color:var(--text)}
nav.side a[aria-current=page]{background:var(--card);border:1px solid var(--border);font-weight:600}
main{flex:1;min-width:0;padding:1rem 1.5rem 3rem;max-width:72rem}
main.narrow{max-width:32rem;margin:3rem auto;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:2rem}
h1{font-size:1.45rem;margin:.25rem 0 1rem}
h2{font-size:1.1rem;margin:1.75rem 0 .6rem}
.card{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:1rem 1.25rem;margin:0 0 1rem}
.card>h2:first-child{margin-top:0}
.muted{color:var(--muted)}
.small{font-size:.85rem}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--border);border-radius:10px;overflow:hidden}
th,td{text-align:left;padding:.5rem .7rem;border-bottom:1px solid var(--border);vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
tr:last-child td{border-bottom:0}
td form{display:inline}
td.nowrap{white-space:nowrap}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
code{background:var(--code);padding:.05rem .3rem;border-radius:4px;word-break:break-all}
pre{background:var(--code);padding:.75rem;border-radius:8px;overflow:auto;white-space:pre}
pre code{background:none;padding:0}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}
dl.fields dt{color:var(--muted)}
dl.fields dd{margin:0;min-width:0;word-break:break-word}
label{display:block;font-weight:600;margin:.9rem 0 .3rem}
label.check{font-weight:400;margin:.35rem 0;display:flex;gap:.5rem;align-items:center}
.hint{display:block;font-weight:400;font-size:.85rem;color:var(--muted)}
input[type=text],input[type=password],input[type=url],input[type=email],input[type=number],input[type=search],input[type=datetime-local],select,textarea{width:100%;max-width:40rem;padding:.5rem .6rem;font:inherit;color:inherit;background:var(--card);border:1px solid var(--border);border-radius:6px}
textarea{min-height:4.5rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
[aria-invalid=true]{border-color:var(--danger)!important}
.field-error{color:var(--danger);margin:.25rem 0 0;font-size:.9rem}
fieldset{border:1px solid var(--border);border-radius:8px;margin:1rem 0;padding:.5rem 1rem 1rem;max-width:42rem}
fieldset summary{cursor:pointer;margin:.25rem 0 .5rem;color:var(--muted)}
legend{font-weight:600;padding:0 .35rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.45rem .85rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-text);cursor:pointer;text-decoration:none;line-height:1.4}
button.secondary,.button.secondary{background:transparent;color:var(--text);border-color:var(--border)}
button.danger{background:var(--danger);border-color:var(--danger);color:#fff}
button.link{background:none;border:0;color:var(--accent);padding:0;font-weight:400;text-decoration:underline}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
.actions form{margin:0}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 1rem}
.toolbar label{margin:0 0 .2rem;font-size:.85rem}
.toolbar input,.toolbar select{width:auto}
.pager{display:flex;gap:.75rem;margin:1rem 0}
.alert{padding:.65rem .85rem;border-radius:8px;background:var(--danger-bg);color:var(--danger);margin:0 0 1rem}
.notice{padding:.65rem .85rem;border-radius:8px;background:var(--ok-bg);color:var(--ok);margin:0 0 1rem}
.secret{padding:1rem;border-radius:8px;background:var(--warn-bg);border:1px solid var(--warn);margin:0 0 1rem}
.secret code{font-size:1rem;background:var(--card)}
.badge{display:inline-block;font-size:.78rem;font-weight:600;padding:.05rem .5rem;border-radius:999px;border:1px solid var(--border)}
.badge.ok,.badge.current{color:var(--ok);background:var(--ok-bg);border-color:var(--ok)}
.badge.off,.badge.retired{color:var(--danger);background:var(--danger-bg);border-color:var(--danger)}
.badge.next{color:var(--accent);border-color:var(--accent)}
.badge.previous,.badge.warn{color:var(--warn);background:var(--warn-bg);border-color:var(--warn)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem;margin:0 0 1rem}
.figure{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:.75rem 1rem}
.figure .value{font-size:1.8rem;font-weight:700;display:block}
.figure .label{color:var(--muted);font-size:.85rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(22rem,1fr));gap:1rem}
figure.chart{margin:0;background:var(--card);border:1px solid var(--border);border-radius:10px;padding:.75rem 1rem}
figure.chart figcaption{font-weight:600;margin:0 0 .25rem}
figure.chart svg{width:100%;height:auto;display:block}
svg .axis{stroke:var(--border);stroke-width:1}
svg .tick{fill:var(--muted);font-size:10px}
svg polyline{fill:none;stroke-width:2;stroke-linejoin:round}
svg polyline.s0{stroke:var(--c1)}svg polyline.s1{stroke:var(--c2)}svg polyline.s2{stroke:var(--c3)}svg polyline.s3{stroke:var(--c4)}svg polyline.s4{stroke:var(--c5)}
svg rect.s0{fill:var(--c1)}svg rect.s1{fill:var(--c2)}svg rect.s2{fill:var(--c3)}svg rect.s3{fill:var(--c4)}svg rect.s4{fill:var(--c5)}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.4rem 0 0;font-size:.85rem}
ul.legend li::before{content:"";display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;vertical-align:-1px;background:currentColor}
ul.legend .s0{color:var(--c1)}ul.legend .s1{color:var(--c2)}ul.legend .s2{color:var(--c3)}ul.legend .s3{color:var(--c4)}ul.legend .s4{color:var(--c5)}
ul.legend span{color:var(--text)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
@media (max-width:50rem){.shell{display:block}nav.side{padding:.5rem 1rem}nav.side ul{display:flex;flex-wrap:wrap;gap:.25rem}}
`.trim();

/**
 * The console's script. Refreshes `[data-refresh]` regions from the URL they name every few
 * seconds (the dashboard's figures), and adds a Copy button to each `pre[data-copy]`.
 */
export const ADMIN_JS = `
(function () {
  'use strict';
  document.querySelectorAll('[data-refresh]').forEach(function (region) {
    var url = region.getAttribute('data-refresh');
    var seconds = Number(region.getAttribute('data-refresh-seconds')) || 5;
    setInterval(function () {
      if (document.hidden) return;
      fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } }).then(function (response) {
        if (!response.ok) return;
        return response.text().then(function (html) {
          var parsed = new DOMParser().parseFromString(html, 'text/html');
          var fresh = parsed.querySelector('[data-fragment]');
          if (fresh) region.replaceChildren.apply(region, Array.prototype.slice.call(fresh.childNodes).map(function (node) { return document.importNode(node, true); }));
        });
      }).catch(function () {});
    }, seconds * 1000);
  });
  document.querySelectorAll('pre[data-copy]').forEach(function (pre) {
    if (!navigator.clipboard) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = 'Copy';
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(pre.innerText).then(function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); });
    });
    pre.parentNode.insertBefore(button, pre.nextSibling);
  });
})();
`.trim();

/** A short digest of `text`, so that an asset's URL changes with its content (and may be cached). */
function version(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 12);
}

/** The console's assets by file name, with their content types and versions. */
export const ADMIN_ASSETS: ReadonlyMap<string, { body: string; contentType: string; version: string }> = new Map([
  ['admin.css', { body: ADMIN_CSS, contentType: 'text/css; charset=utf-8', version: version(ADMIN_CSS) }],
  ['admin.js', { body: ADMIN_JS, contentType: 'text/javascript; charset=utf-8', version: version(ADMIN_JS) }],
]);
