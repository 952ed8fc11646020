// Build the front-end assets into static/vendor (git-ignored), from the npm packages that
// package-lock.json pins. No CDN and no pasted copies.
//
//   node scripts/build_assets.mjs      (scripts/build_assets.py runs it; so does the image's node stage)
//
// - bootstrap/bootstrap.min.css: Bootstrap's Sass, only the parts static/scss/bootstrap.scss
//   imports (sass-embedded), with its source map.
// - bootstrap/bootstrap.min.js: Bootstrap's JavaScript, only the COMPONENTS below (rollup and
//   terser, which come with workbox-build), with its source map.
// - htmx/htmx.min.js: copied as it is, for the pages that load it (templates/_htmx.html).
//
// Mentors open these pages on phones with poor signal: what isn't used isn't shipped.

import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import terser from "@rollup/plugin-terser";
import { rollup } from "rollup";
import * as sass from "sass-embedded";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MODULES = path.join(ROOT, "node_modules");
const VENDOR = path.join(ROOT, "static", "vendor");

// Bootstrap's components whose JavaScript the pages use: the navbar's collapse (the menu button
// on a phone). Each registers its own data-bs-* handlers when loaded.
const COMPONENTS = ["collapse"];

const COPIED = { "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js" };

// A source map names its sources relative to the project, never by this machine's paths.
function relativeSource(source) {
  const file = source.startsWith("file:") ? fileURLToPath(source) : path.resolve(ROOT, source);
  return path.relative(ROOT, file).split(path.sep).join("/");
}

async function buildCss() {
  const output = path.join(VENDOR, "bootstrap", "bootstrap.min.css");
  const result = await sass.compileAsync(path.join(ROOT, "static", "scss", "bootstrap.scss"), {
    loadPaths: [MODULES],
    style: "compressed",
    sourceMap: true,
    sourceMapIncludeSources: true,
    // Bootstrap 5.3's own Sass still uses @import and global functions: its warnings are not ours.
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin", "color-functions", "if-function"],
  });
  const map = { ...result.sourceMap, sources: result.sourceMap.sources.map(relativeSource), file: "bootstrap.min.css" };
  const css = `${result.css}\n/*# sourceMappingURL=bootstrap.min.css.map */\n`;
  await writeFile(output, css);
  await writeFile(`${output}.map`, JSON.stringify(map));
  return [output, css.length];
}

// Bootstrap's MIT licence asks that its notice travel with every copy.
async function licence() {
  const { version } = JSON.parse(await readFile(path.join(MODULES, "bootstrap", "package.json"), "utf8"));
  return `/*!\n * Bootstrap v${version} (https://getbootstrap.com/), components: ${COMPONENTS.join(", ")}\n * Copyright 2011-2025 The Bootstrap Authors (https://github.com/twbs/bootstrap/graphs/contributors)\n * Licensed under MIT (https://github.com/twbs/bootstrap/blob/main/LICENSE)\n */`;
}

async function buildJs() {
  const output = path.join(VENDOR, "bootstrap", "bootstrap.min.js");
  const entry = "\0alongside-bootstrap";
  const sources = COMPONENTS.map((name) => path.join(MODULES, "bootstrap", "js", "src", `${name}.js`));
  const bundle = await rollup({
    input: entry,
    plugins: [
      {
        name: "alongside-entry",
        resolveId: (id) => (id === entry ? entry : null),
        load: (id) => (id === entry ? sources.map((file) => `import ${JSON.stringify(pathToFileURL(file).pathname)};`).join("\n") : null),
      },
    ],
  });
  try {
    const { output: chunks } = await bundle.write({
      file: output,
      format: "iife",
      banner: await licence(),
      sourcemap: true,
      sourcemapPathTransform: (source) => relativeSource(path.resolve(path.dirname(output), source)),
      plugins: [terser({ format: { comments: /^!/ } })],
    });
    return [output, chunks[0].code.length];
  } finally {
    await bundle.close();
  }
}

async function copyFiles() {
  const written = [];
  for (const [source, target] of Object.entries(COPIED)) {
    const dest = path.join(VENDOR, target);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(path.join(MODULES, source), dest);
    written.push(dest);
  }
  return written;
}

// From scratch, so nothing an older build wrote (a file no longer built) is collected and served.
await rm(VENDOR, { recursive: true, force: true });
await mkdir(path.join(VENDOR, "bootstrap"), { recursive: true });
const [css, cssBytes] = await buildCss();
const [js, jsBytes] = await buildJs();
const copied = await copyFiles();
const name = (file) => path.relative(ROOT, file);
console.log(`built ${name(css)} (${cssBytes} bytes) and ${name(js)} (${jsBytes} bytes); copied ${copied.map(name).join(", ")}`);
