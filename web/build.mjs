// The production build of the web client: `node build.mjs` (npm run build) writes dist/, a folder laid out like
// this one (index.html, sw.js, manifest.webmanifest, js/, css/, i18n/, fonts/, icons/, favicon.svg) that the
// gateway serves instead of the sources (docs/web-client.md). The sources stay runnable as they are: editing a module and reloading needs no build.
//
// - js/app.js and everything it imports become one minified module, dist/js/app.js; a lazy/ screen (a dynamic
//   import) becomes a chunk of its own, and code shared by the entry and the lazy chunks a chunk the entry
//   imports. Every output sits flat in dist/js/, the depth of the sources' js/*.js, so `new URL('../i18n/…',
//   import.meta.url)` (i18n.js) and `stylesheet('css/…')` (dom.js) resolve the same from either.
// - The stylesheets index.html links become one, dist/css/app.css; the others (a domain's lazy CSS) are minified
//   one by one; fonts stay files (url(../fonts/…) resolves from dist/css/ as from css/).
// - dist/bundle.json lists the modules the entry imports (the gateway preloads them) and is written last: the
//   gateway takes a dist/ that has it and is newer than every source file, so a stale build is never served.

import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, 'dist');
const LINK = /<link rel="stylesheet" href="\{\{static\}\}\/(css\/[\w-]+\.css)">\n/g;

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const started = Date.now();

// esbuild makes a chunk of the modules each set of entries shares: the entry's modules that lazy screens also use
// would come as a score of small chunks, a score of requests (and round trips over a browser's six connections
// to a host). So every lazy module also imports each module the entry reaches (they are loaded by then: a lazy
// module is imported after the entry has run), and they all land in one chunk the entry imports.
const reached = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['js/app.js'],
  bundle: true,
  write: false,
  metafile: true,
  format: 'esm',
  logLevel: 'silent',
  plugins: [{ name: 'skip-lazy', setup: (b) => b.onResolve({ filter: /\/lazy\// }, () => ({ external: true })) }],
});
const shared = Object.keys(reached.metafile.inputs)
  .filter((path) => path !== 'js/app.js')
  .map((path) => `import ${JSON.stringify(join(root, path))};`)
  .join('\n');
const oneSharedChunk = {
  name: 'one-shared-chunk',
  setup(b) {
    b.onLoad({ filter: /\/js\/.*\/lazy\/[^/]+\.js$/ }, (args) => ({
      contents: `${readFileSync(args.path, 'utf8')}\n${shared}\n`,
      loader: 'js',
    }));
  },
};

const js = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['js/app.js'],
  plugins: [oneSharedChunk],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  outdir: 'dist/js',
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const template = readFileSync(join(root, 'index.html'), 'utf8');
const linked = [...template.matchAll(LINK)].map((m) => m[1]);
if (!linked.length) throw new Error('index.html links no stylesheet of css/');
await esbuild.build({
  absWorkingDir: root,
  stdin: { contents: linked.map((p) => `@import "./${p}";`).join('\n'), resolveDir: root, loader: 'css' },
  bundle: true,
  minify: true,
  external: ['../fonts/*'],
  outfile: 'dist/css/app.css',
  logLevel: 'warning',
});
// The customer portal's stylesheet imports the base and components: bundled like app.css (its own page links it).
const PORTAL_CSS = 'portal.css';
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [`css/${PORTAL_CSS}`],
  bundle: true,
  minify: true,
  external: ['../fonts/*'],
  outfile: `dist/css/${PORTAL_CSS}`,
  logLevel: 'warning',
});
const lazyCss = readdirSync(join(root, 'css')).filter(
  (f) => f.endsWith('.css') && f !== PORTAL_CSS && !linked.includes(`css/${f}`),
);
await esbuild.build({
  absWorkingDir: root,
  entryPoints: lazyCss.map((f) => `css/${f}`),
  minify: true,
  outdir: 'dist/css',
  logLevel: 'warning',
});

let first = true;
const page = template.replace(LINK, () => {
  const link = first ? '<link rel="stylesheet" href="{{static}}/css/app.css">\n' : '';
  first = false;
  return link;
});
writeFileSync(join(out, 'index.html'), page);

// The customer portal (portal.html, js/portal.js): a page and a module of its own, flat in dist/js/ like app.js.
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['js/portal.js'],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  outfile: 'dist/js/portal.js',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(root, 'portal.html'), join(out, 'portal.html'));
// As they are: the icons, the app manifest, the fonts, and the service worker's template (the gateway fills it in).
for (const file of ['favicon.svg', 'manifest.webmanifest', 'sw.js']) copyFileSync(join(root, file), join(out, file));
for (const folder of ['fonts', 'icons']) cpSync(join(root, folder), join(out, folder), { recursive: true });
mkdirSync(join(out, 'i18n'));
for (const file of readdirSync(join(root, 'i18n')).filter((f) => f.endsWith('.json'))) {
  const dictionary = JSON.parse(readFileSync(join(root, 'i18n', file), 'utf8'));
  writeFileSync(join(out, 'i18n', file), JSON.stringify(dictionary));
}

// The modules the entry imports statically (the shared chunks): preloaded with it, so they cost no round trip.
const entry = js.metafile.outputs['dist/js/app.js'];
const preload = entry.imports.filter((i) => i.kind === 'import-statement').map((i) => relative('dist', i.path));
writeFileSync(join(out, 'bundle.json'), `${JSON.stringify({ entry: 'js/app.js', preload }, null, 2)}\n`);
console.log(`web/dist: ${Object.keys(js.metafile.outputs).length} modules in ${Date.now() - started} ms`);
