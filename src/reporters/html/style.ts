// The page's only stylesheet, inlined: light and dark through prefers-color-scheme, charts
// coloured by class so they follow the theme, readable from a laptop screen to print.
export const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2025; --muted: #5f6670; --line: #d9dde3; --panel: #f5f7fa;
  --bad: #c62828; --warn: #a86400; --good: #2e7d32; --accent: #1f5fbf; --series: #1f5fbf; --bar: #6a4fbf; --freed: #2e7d32; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171b; --fg: #e6e8eb; --muted: #9aa3ad; --line: #343a42; --panel: #1d2127;
    --bad: #ff6b6b; --warn: #f0b050; --good: #6cc070; --accent: #7fb0ff; --series: #7fb0ff; --bar: #b39dff; --freed: #6cc070; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 1.4rem 0 .4rem; }
.muted { color: var(--muted); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--panel); padding: 8px 10px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
tr.finding td { border-bottom: none; } tr.repro pre { margin: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--panel); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card b { display: block; font-size: 1.3rem; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.o-passed { color: var(--good); } .o-failed, .o-error, .o-no-tests { color: var(--warn); }
.o-over-memory, .o-oom-killed, .o-timeout, .o-crashed { color: var(--bad); } .o-not-run, .o-interrupted { color: var(--muted); }
.new { color: var(--bad); border-color: var(--bad); } .fixed { color: var(--good); }
section.batch { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; margin: 16px 0; }
svg.chart { width: 100%; height: auto; display: block; margin: 8px 0; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .tick, svg .empty { fill: var(--muted); font-size: 11px; }
svg .series { fill: none; stroke: var(--series); stroke-width: 1.6; }
svg .budget { stroke: var(--bad); stroke-width: 1.4; stroke-dasharray: 6 4; }
svg .budget-label { fill: var(--bad); font-size: 11px; }
svg .kill circle { fill: var(--bad); } svg .kill text { fill: var(--bad); font-size: 11px; font-weight: 600; }
svg .bar { fill: var(--bar); } svg .bar.freed { fill: var(--freed); }
ul.tree, ul.tree ul { list-style: none; padding-left: 18px; margin: 2px 0; }
ul.tree { padding-left: 0; }
ul.tree li { position: relative; padding: 2px 0; }
ul.tree ul li::before { content: "└"; position: absolute; left: -14px; color: var(--muted); }
dl.env { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.env dt { color: var(--muted); } dl.env dd { margin: 0; }
details > summary { cursor: pointer; color: var(--accent); }
a { color: var(--accent); }
.hunt-warnings p.warn { border-left: 4px solid var(--warn); background: var(--panel); padding: 6px 10px; margin: 6px 0; border-radius: 0 6px 6px 0; }
.warn { color: var(--warn); } h3.warn .muted { font-weight: normal; font-size: .9rem; }
.sev-warning { color: var(--warn); }
table.findings tr.finding.failure td:first-child, table.findings tr.repro.failure td:first-child { border-left: 4px solid var(--bad); }
table.findings tr.finding.warning td:first-child, table.findings tr.repro.warning td:first-child { border-left: 4px solid var(--warn); }
table.findings th.tests { width: 40%; } table.findings td.tests code { overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 6px 0 0; font-size: .92rem; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.where { margin: 6px 0 0; }
details.stack pre, details.repro pre { max-height: 320px; overflow: auto; white-space: pre; word-break: normal; }
@media print { section.batch { break-inside: avoid; } details { display: block; } }
`;
