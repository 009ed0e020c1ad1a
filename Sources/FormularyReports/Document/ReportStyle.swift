/// The stylesheet every HTML report inlines: readable on screen and on a phone (tables become
/// stacked cards below 40rem, charts switch to their narrow drawing below 48rem), and printable
/// on US Letter without cut tables or cards split across pages; a coverage report's appendix
/// starts on a new page and prints denser. Colors meet WCAG AA contrast on white, and every
/// colored badge also carries a symbol and words.
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
      font: 16px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif;
      overflow-wrap: break-word; }
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
    table.shortlist th[scope="row"] { min-width: 9rem; }
    .appendix { margin-top: 3rem; border-top: 3px double var(--rule); padding-top: .5rem; }
    figure { margin: 1rem 0 1.25rem; }
    figure svg.chart { width: 100%; height: auto; max-width: 100%; display: block; }
    figure svg.chart-narrow { display: none; }
    /* Phones and narrow windows: charts switch to their narrow drawing (labels stay 11 px or
       larger), and every data table shows each row as a card: the header row is hidden but
       still read, each cell is led by its column name, nothing scrolls sideways. */
    @media screen and (max-width: 48rem) {
      figure svg.chart-wide { display: none; }
      figure svg.chart-narrow { display: block; max-width: 32rem; }
    }
    @media screen and (max-width: 40rem) {
      body { padding: 1rem .75rem 2rem; }
      h1 { font-size: 1.45rem; }
      .table-wrap { overflow-x: visible; }
      table.data, table.data > caption, table.data > tbody, table.data > tbody > tr,
      table.data > tbody > tr > th, table.data > tbody > tr > td { display: block; width: 100%; }
      table.data { font-size: .95rem; }
      table.data > thead { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
        overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
      table.data > tbody > tr { border: 1px solid var(--rule); border-radius: 8px; margin: 0 0 .75rem; padding: .45rem .7rem; }
      table.data > tbody > tr > th, table.data > tbody > tr > td { border: 0; padding: .2rem 0; min-width: 0; }
      table.data > tbody > tr > th { background: none; font-size: 1.02rem; }
      table.data > tbody > tr > td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
      table.data .badge, table.data.checklist td .badge { white-space: normal; }
      table.compare th[scope="col"], table.checklist td:nth-child(3), table.shortlist th[scope="row"] { min-width: 0; }
      dl.glossary { grid-template-columns: 1fr; }
      dl.glossary dd { margin: 0 0 .4rem; }
    }
    figcaption { color: var(--muted); font-size: .88rem; margin-top: .35rem; }
    dl.glossary { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .3rem 1rem; }
    dl.glossary dt { font-weight: 600; }
    dl.glossary dd { margin: 0; }
    .placeholder { background: #fff3b0; }
    @page { size: Letter; margin: 0.6in 0.55in 0.7in; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10pt; line-height: 1.4; }
      h1 { font-size: 17pt; }
      h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.1rem; font-size: 13pt; }
      h3 { font-size: 11pt; }
      h4 { font-size: 10pt; }
      .appendix, .page-break { break-before: page; page-break-before: always; }
      .appendix { margin-top: 0; border-top: 0; padding-top: 0; }
      .appendix .card { break-inside: auto; page-break-inside: auto; border: 0; border-top: 1px solid var(--rule); border-radius: 0;
        padding: .25rem 0 0; margin: .35rem 0 0; }
      .appendix .card > h3 { font-size: 11pt; margin-bottom: .2rem; }
      .appendix .card p, .appendix .card ul, .appendix .card ol { margin: .2rem 0; }
      .appendix li { margin: .1rem 0; }
      .appendix { font-size: 9pt; line-height: 1.35; }
      .appendix table.data { font-size: 8.5pt; }
      .appendix h2 { font-size: 12pt; }
      .appendix h3 { font-size: 10.5pt; margin-top: .6rem; }
      .table-wrap:has(> table.chart-data) { display: none; }
      .appendix .table-wrap.keep { break-inside: auto; page-break-inside: auto; }
      .appendix figure svg.chart-wide { max-width: 5.8in; }
      .appendix #requirements, .appendix #appeals { column-count: 2; column-gap: .3in; }
      .appendix #requirements > h2, .appendix #appeals > h2, .appendix #appeals > p:first-of-type { column-span: all; }
      .appendix table.data th, .appendix table.data td { padding: .12rem .35rem; }
      .appendix table.data caption { padding: .1rem 0 .25rem; }
      .appendix .badge { padding: 0 .3rem; line-height: 1.25; }
      table.options { table-layout: fixed; }
      table.options thead th:nth-child(1) { width: 29%; }
      table.options thead th:nth-child(2) { width: 21%; }
      table.options thead th:nth-child(3) { width: 17%; }
      table.options thead th:nth-child(4) { width: 13%; }
      table.options thead th:nth-child(5) { width: 8%; }
      table.options thead th:nth-child(6) { width: 12%; }
      table.shortlist { font-size: 8.8pt; table-layout: fixed; }
      table.shortlist thead th:nth-child(1) { width: 22%; }
      table.shortlist thead th:nth-child(2) { width: 16%; }
      table.shortlist thead th:nth-child(3) { width: 13%; }
      table.shortlist thead th:nth-child(4) { width: 26%; }
      table.shortlist thead th:nth-child(5) { width: 10%; }
      table.shortlist thead th:nth-child(6) { width: 13%; }
      .appendix dl.glossary { grid-template-columns: 7rem 1fr 7rem 1fr; gap: .15rem .8rem; }
      .appendix > section:first-of-type > h2 { margin-top: 0; }
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
