/**
 * The HTML report's stylesheet, inlined into the page (the CSP allows inline styles only). System
 * fonts only: a web font would be a URL to load.
 */
export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --foundation: #0969da; --data: #1a7f37; --secrets: #9a6700; --services: #8250df; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 24px; margin: 8px 0; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h2 small { font-size: 13px; font-weight: normal; color: var(--muted); }
h3 { font-size: 15px; margin: 16px 0 6px; }
h4 { font-size: 13px; margin: 8px 0 2px; text-transform: capitalize; }
summary h3 { display: inline; }
code, pre, .settings { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
code { overflow-wrap: anywhere; }
h1 code { font-size: inherit; }
table.outputs td:first-child code { overflow-wrap: normal; white-space: nowrap; }
table.outputs { width: 100%; }
table.outputs td:nth-child(2) { width: 24%; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 13px; }
.badge.ok { background: var(--ok); color: #fff; }
.badge.bad { background: var(--bad); color: #fff; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 12px; overflow-x: auto; white-space: pre-wrap; }
nav { margin: 16px 0; }
nav a { color: var(--foundation); }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); }
tr.total td { font-weight: 600; }
.verdict { font-size: 16px; font-weight: 600; }
.ok { color: var(--ok); }
.bad, .mandatory, .contract.error { color: var(--bad); }
.notice, .hint, footer { color: var(--muted); }
footer { border-top: 1px solid var(--line); margin-top: 32px; padding-bottom: 24px; font-size: 12.5px; }
.alert { border: 2px solid var(--bad); border-radius: 8px; padding: 4px 16px; margin: 16px 0; background: #ffebe9; }
.alert h2 { color: var(--bad); border: none; margin-top: 8px; }
.secret { font-style: italic; color: var(--muted); }
ul.tree, ul.tree ul { list-style: none; padding-left: 18px; margin: 0; }
ul.tree { padding-left: 4px; }
ul.tree li { margin: 1px 0; }
.kind { display: inline-block; width: 1em; color: var(--muted); }
.type { color: var(--muted); }
.settings { color: var(--muted); font-size: 12px; }
svg.diagram { display: block; width: 100%; height: auto; max-width: 100%; font-family: inherit; }
svg.diagram rect { fill: var(--panel); stroke-width: 2; }
svg.diagram .layer-foundation rect { stroke: var(--foundation); }
svg.diagram .layer-data rect { stroke: var(--data); }
svg.diagram .layer-secrets rect { stroke: var(--secrets); }
svg.diagram .layer-services rect { stroke: var(--services); }
svg.diagram .box-title { font-size: 15px; font-weight: 700; fill: var(--fg); }
svg.diagram .box-sub { font-size: 12px; fill: var(--muted); }
svg.diagram .box-item { font-size: 12px; fill: var(--fg); }
svg.diagram .order { fill: none; stroke: var(--muted); stroke-width: 2; }
svg.diagram .edge path { fill: none; stroke: var(--muted); stroke-width: 1.5; }
svg.diagram .edge polygon, svg.diagram .edge circle { fill: var(--muted); }
svg.diagram .edge-label { font-size: 11px; fill: var(--fg); paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
@media print { nav { display: none; } details > summary { list-style: none; } }
`;
