/// The stylesheet every HTML report inlines: readable on screen, and printable on US Letter
/// without cut tables or cards split across pages. Colors meet WCAG AA contrast on white, and
/// every colored badge also carries a symbol and words.
enum ReportStyle {
    static let css = """
    :root {
      --ink: #1b1f24; --muted: #4a525c; --rule: #c4cad3; --panel: #f3f5f8;
      --good-ink: #0d5c2c; --good-bg: #e3f2e8; --caution-ink: #6b4200; --caution-bg: #fff1d6;
      --bad-ink: #8c1d1d; --bad-bg: #fbe6e6; --info-ink: #123f73; --info-bg: #e5eefa;
      --neutral-ink: #3a4149; --neutral-bg: #eceff3;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 1.25rem 3rem; color: var(--ink); background: #fff;
      font: 16px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif; }
    h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .25rem; }
    h2 { font-size: 1.35rem; margin: 2.25rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--rule); }
    h3 { font-size: 1.12rem; margin: 0 0 .5rem; }
    h4 { font-size: 1rem; margin: 1rem 0 .35rem; }
    p { margin: .45rem 0; }
    ul, ol { margin: .35rem 0 .6rem; padding-left: 1.4rem; }
    li { margin: .2rem 0; }
    code { font: .86em/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
      background: var(--panel); padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
    .subtitle { color: var(--muted); margin: 0; }
    .report-header { border-bottom: 3px solid var(--ink); padding-bottom: .75rem; margin-bottom: 1rem; }
    .report-footer { margin-top: 2.5rem; padding-top: .75rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: .85rem; }
    .contents ul { list-style: none; padding: 0; margin: .5rem 0 1rem; display: flex; flex-wrap: wrap; gap: .35rem .6rem; }
    .contents a { color: var(--info-ink); }
    .card { border: 1px solid var(--rule); border-radius: 8px; padding: .9rem 1rem .6rem; margin: 1rem 0; background: #fff; }
    .card > h3 { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
    .badge { display: inline-block; padding: .05rem .45rem; border-radius: 6px; font-size: .86rem; font-weight: 600;
      border: 1px solid currentColor; white-space: nowrap; line-height: 1.45; }
    .badge.good { color: var(--good-ink); background: var(--good-bg); }
    .badge.caution { color: var(--caution-ink); background: var(--caution-bg); }
    .badge.bad { color: var(--bad-ink); background: var(--bad-bg); }
    .badge.info { color: var(--info-ink); background: var(--info-bg); }
    .badge.neutral { color: var(--neutral-ink); background: var(--neutral-bg); }
    .callout { border-left: 5px solid var(--info-ink); background: var(--info-bg); padding: .6rem .9rem; margin: 1rem 0; border-radius: 0 6px 6px 0; }
    .callout.warning { border-color: var(--caution-ink); background: var(--caution-bg); }
    .callout.draft { border: 2px dashed var(--bad-ink); background: #fffdf8; border-radius: 6px; padding: 1rem 1.2rem; }
    .callout > :first-child { margin-top: 0; }
    .table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }
    table.data { border-collapse: collapse; width: 100%; font-size: .92rem; }
    table.data caption { text-align: left; font-weight: 600; padding: .25rem 0 .4rem; color: var(--ink); }
    table.data th, table.data td { border: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top;
      overflow-wrap: break-word; hyphens: auto; }
    table.data thead th { background: var(--panel); font-weight: 600; }
    table.data tbody th { font-weight: 600; background: #fafbfc; }
    table.data td .badge, table.data th .badge { white-space: normal; }
    table.compare th[scope="col"] { min-width: 9rem; }
    table.checklist td:nth-child(3) { min-width: 16rem; }
    table.data.checklist td .badge { white-space: nowrap; }
    @media (max-width: 40rem) { body { padding: 1rem .75rem 2rem; } table.data { font-size: .82rem; } }
    figure { margin: 1rem 0 1.25rem; }
    figure svg.chart { width: 100%; height: auto; max-width: 100%; display: block; }
    figcaption { color: var(--muted); font-size: .88rem; margin-top: .35rem; }
    dl.glossary { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .3rem 1rem; }
    dl.glossary dt { font-weight: 600; }
    dl.glossary dd { margin: 0; }
    .placeholder { background: #fff3b0; }
    @page { size: Letter; margin: 0.6in 0.55in 0.7in; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10.5pt; }
      h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.4rem; }
      h3, h4 { break-after: avoid; page-break-after: avoid; }
      .no-print { display: none; }
      .card, figure, .callout, tr, li, dl.glossary > *, .table-wrap.keep { break-inside: avoid; page-break-inside: avoid; }
      caption { break-after: avoid; page-break-after: avoid; }
      .table-wrap { overflow: visible; }
      table.data { font-size: 9pt; }
      thead { display: table-header-group; }
      a { color: inherit; text-decoration: none; }
      .badge, .callout, table.data thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    }

    """
}
