/** The report's style sheet, inline and allowed by its hash in the page's Content-Security-Policy; no style attributes. */
export const REPORT_STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --warn: #9a6700; --warn-bg: #fff8c5; --bad: #d1242f; --bad-bg: #ffebe9; --ok: #1a7f37; --ok-bg: #dafbe1; }
* { box-sizing: border-box; }
body { margin: 2rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
p.meta { color: var(--muted); margin: 0 0 1rem; }
dl.summary { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 1rem 0; }
dl.summary div { min-width: 8rem; }
dl.summary dt { color: var(--muted); font-size: .85rem; }
dl.summary dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--head); position: sticky; top: 0; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap; }
.badge { display: inline-block; margin: 0 .25rem .15rem 0; padding: 0 .45rem; border-radius: 1rem; font-size: .8rem; border: 1px solid transparent; white-space: nowrap; }
.status-active, .in-sync { color: var(--ok); background: var(--ok-bg); }
.status-inactive { color: var(--muted); background: var(--head); border-color: var(--line); }
.warn { color: var(--warn); background: var(--warn-bg); }
.bad, .drift { color: var(--bad); background: var(--bad-bg); }
.none { color: var(--muted); }
ul.findings li { margin-bottom: .25rem; }
@media print { body { margin: 0; } thead th { position: static; } th button::after { content: ""; } }
`;
