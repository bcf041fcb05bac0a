/** The pages' one stylesheet, sent inline (its hash is in the CSP). System fonts only. */
export const STYLE = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1b1f24;--muted:#57606a;--accent:#0b5cd5;--accent-text:#fff;--border:#d0d7de;--danger:#b42318;--danger-bg:#fdecea}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#1a1d23;--text:#e6e8eb;--muted:#a0a7b1;--accent:#5b9dff;--accent-text:#0b0d10;--border:#343a44;--danger:#ff8a80;--danger-bg:#3a1d1b}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:1.5rem;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:100%;max-width:26rem;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:2rem}
h1{font-size:1.35rem;margin:0 0 .25rem}
p{margin:.5rem 0}
.muted{color:var(--muted);font-size:.9rem}
.logo{display:block;max-width:4rem;max-height:4rem;margin:0 0 1rem}
.brand{display:flex;align-items:center;gap:.6rem;margin:0 0 1.25rem;font-weight:600}
.brand img{display:block;max-height:2.5rem;max-width:10rem}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input[type=text],input[type=password],input[type=email]{width:100%;padding:.65rem .75rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--border);border-radius:8px}
button{font:inherit;font-weight:600;padding:.65rem 1rem;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-text);cursor:pointer}
button.secondary,a.button.secondary{background:transparent;color:var(--text);border-color:var(--border)}
button.danger{background:var(--danger);border-color:var(--danger);color:var(--card)}
a.button{display:inline-flex;align-items:center;justify-content:center;text-align:center;text-decoration:none;font-weight:600;padding:.65rem 1rem;border-radius:8px;border:1px solid var(--accent)}
h2{font-size:1.05rem;margin:1.75rem 0 .5rem}
label.check{display:flex;gap:.5rem;align-items:center;font-weight:400}
.notice{margin:1rem 0 0;padding:.65rem .75rem;border-radius:8px;border:1px solid var(--border)}
.block{display:block}
ul.items{list-style:none;padding:0;margin:.5rem 0}
ul.items li{display:flex;justify-content:space-between;align-items:center;gap:.75rem;padding:.65rem 0;border-top:1px solid var(--border)}
ul.items li:last-child{border-bottom:1px solid var(--border)}
ul.items li button{white-space:nowrap}
ul.activity{padding-left:1.1rem;margin:.5rem 0;font-size:.9rem}
ul.activity li{margin:.2rem 0}
.qr{width:12rem;margin:1rem auto;background:#fff;padding:.5rem;border-radius:8px}
.qr svg{display:block;width:100%;height:auto}
code.key{word-spacing:.25rem;overflow-wrap:anywhere}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
.actions button,.actions a.button{flex:1}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.alert{margin:1rem 0 0;padding:.65rem .75rem;border-radius:8px;background:var(--danger-bg);color:var(--danger)}
ul.scopes{padding-left:1.2rem;margin:.75rem 0}
ul.scopes li{margin:.3rem 0}
section.authorization-detail{margin:.75rem 0;padding:.6rem .75rem;border:1px solid var(--border);border-radius:8px}
section.authorization-detail h2{font-size:1rem;margin:0 0 .4rem}
section.authorization-detail dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .75rem;margin:0}
section.authorization-detail dt{color:var(--muted)}
section.authorization-detail dd{margin:0;overflow-wrap:anywhere}
code{font-size:.85rem}
a{color:var(--accent)}
`.trim();
