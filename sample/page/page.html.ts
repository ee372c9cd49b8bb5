/**
 * One part of the sample's page: its markup inside `<section id="...">` under an `<h2>`, and the
 * plain-JS script that drives it. Sections talk to each other through DOM events on `document`
 * (e.g. `sample:tokens`), never through each other's variables, so one can be added without touching
 * the others.
 */
export interface PageSection {
  id: string;
  title: string;
  html: string;
  script: string;
}

const STYLE = `
    body { font: 14px system-ui, sans-serif; margin: 2rem; color: #222; max-width: 72rem; }
    nav a { margin-right: 1rem; }
    section { margin: 2rem 0; padding-top: .5rem; border-top: 1px solid #ddd; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid #ccc; padding: .35rem .6rem; text-align: left; vertical-align: middle; }
    th { background: #f3f3f3; }
    .state { font-weight: 600; }
    .state-fresh { color: #17803d; } .state-retrying, .state-refreshing { color: #b36b00; }
    .state-expired, .state-failed { color: #c0262d; }
    .notice { min-height: 1.2em; color: #c0262d; }
    .note { color: #555; }
    label { margin-right: 1rem; }`;

/** The whole page: a table of contents, then every section in order. */
export function pageHtml(sections: readonly PageSection[]): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>nestjs-exotel-webrtc sample</title>
  <style>${STYLE}
  </style>
</head>
<body>
  <h1>nestjs-exotel-webrtc sample</h1>
  <nav>${sections.map((s) => `<a href="#${s.id}">${s.title}</a>`).join('')}</nav>
${sections
  .map(
    (s) => `  <section id="${s.id}">
    <h2>${s.title}</h2>
${s.html}
    <script>${s.script}</script>
  </section>`,
  )
  .join('\n')}
</body>
</html>
`;
}
