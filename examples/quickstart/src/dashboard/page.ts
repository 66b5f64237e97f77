/** The HTML page that hosts the dashboard. */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Redrive demo — job queue dashboard</title>
    <style>
      :root { color-scheme: light dark; }
      body { margin: 0; background: Canvas; color: CanvasText; }
    </style>
    <link rel="stylesheet" href="/assets/dashboard.css" />
  </head>
  <body>
    <main id="root"></main>
    <script type="module" src="/assets/dashboard.js"></script>
  </body>
</html>
`;
