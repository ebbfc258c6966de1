// The dashboard's HTML pages: fixed shells with no data in them. Each loads one script from /assets/, which fetches
// the data as JSON and puts every text into the page as text (see assets/dom.js).

/** Page name → the script that renders it. */
export const pageScripts = {
  overview: 'overview-page.js',
  run: 'run-page.js',
  params: 'params-page.js',
  session: 'session-page.js',
  study: 'study-page.js',
} as const;

export type PageName = keyof typeof pageScripts;

const shared = ['api.js', 'dom.js', 'format.js'];
const charted = [...shared, 'charts.js', 'vendor/uplot.js'];

/** The modules each page's script imports, preloaded at once rather than found one import level at a time. */
const pageModules: Record<PageName, readonly string[]> = {
  overview: shared,
  run: charted,
  params: charted,
  session: shared,
  study: charted,
};

/** The whole HTML of a page; the same bytes for every run, study and session (the script reads the path). */
export function pageHtml(page: PageName): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bilevel</title>
<link rel="stylesheet" href="/assets/vendor/uplot.css">
<link rel="stylesheet" href="/assets/app.css">
${pageModules[page].map((module) => `<link rel="modulepreload" href="/assets/${module}">`).join('\n')}
<script type="module" src="/assets/${pageScripts[page]}"></script>
</head>
<body>
<header class="top"><a class="brand" href="/">bilevel</a><span id="live" class="live" title="live updates">connecting…</span></header>
<main id="app"><p class="loading">loading…</p></main>
<noscript><p>This dashboard needs JavaScript; \`bilevel status\` shows the same in a terminal.</p></noscript>
</body>
</html>
`;
}
