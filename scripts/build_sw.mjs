// Builds what the mentor's pages need to work as an installable, offline-capable app, into
// static/vendor/pwa/ (git-ignored): the service worker (Workbox's generateSW, runtime inlined),
// the page-side libraries from node_modules (idb, workbox-window) and the PNG icons, drawn
// from static/img/icon.svg. Run by scripts/build_assets.py after npm ci, and by the image's node stage.
//
// The service worker never caches a page of hers: /mentor/ holds safe-contact details and
// agreement text. A failed navigation to her home or a log form gets the offline shell
// (/mentor/offline/, no personal content), which draws her mentees' chosen names and the form
// from what the page stored on the phone.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

import { generateSW } from "workbox-build";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "static", "vendor", "pwa");
const MODULES = join(ROOT, "node_modules");

// Under their own names: workbox-window's file names its source map, which comes too (collectstatic's
// hashed names need every file a script points to).
const LIBRARIES = {
  "idb/build/umd.js": "idb.umd.js",
  "workbox-window/build/workbox-window.prod.umd.js": "workbox-window.prod.umd.js",
  "workbox-window/build/workbox-window.prod.umd.js.map": "workbox-window.prod.umd.js.map",
};

// --- icons: the SVG is circles only, so a small rasteriser draws it exactly, with no extra package ---
function parseCircles(svg) {
  const [, , width, height] = /viewBox="([^"]+)"/.exec(svg)[1].split(/\s+/).map(Number);
  const circles = [...svg.matchAll(/<circle\b([^>]*)\/?>/g)].map(([, attrs]) => {
    const get = (name, fallback) => {
      const found = new RegExp(`\\b${name}="([^"]+)"`).exec(attrs);
      return found ? found[1] : fallback;
    };
    const hex = get("fill", "#000000").replace("#", "");
    return {
      cx: Number(get("cx", "0")),
      cy: Number(get("cy", "0")),
      r: Number(get("r", "0")),
      rgb: [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)),
      alpha: Number(get("fill-opacity", "1")),
    };
  });
  return { width, height, circles };
}

// Draws the icon into a size x size RGBA buffer, scaled by `scale` about the centre (maskable
// icons keep their picture inside the middle 80%), over `background` ([r, g, b, a]) or clear.
function rasterise({ width, height, circles }, size, { scale = 1, background = [0, 0, 0, 0] } = {}) {
  const SAMPLES = 4;
  const pixels = Buffer.alloc(size * size * 4);
  const unit = Math.max(width, height) / (size * scale);
  const offsetX = (width - size * unit) / 2;
  const offsetY = (height - size * unit) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const px = offsetX + (x + (sx + 0.5) / SAMPLES) * unit;
          const py = offsetY + (y + (sy + 0.5) / SAMPLES) * unit;
          let [r, g, b, a] = [background[0], background[1], background[2], background[3] / 255];
          for (const c of circles) {
            if ((px - c.cx) ** 2 + (py - c.cy) ** 2 <= c.r ** 2) {
              const outA = c.alpha + a * (1 - c.alpha);
              [r, g, b] = [0, 1, 2].map((i) => (c.rgb[i] * c.alpha + [r, g, b][i] * a * (1 - c.alpha)) / (outA || 1));
              a = outA;
            }
          }
          sum = [sum[0] + r * a, sum[1] + g * a, sum[2] + b * a, sum[3] + a];
        }
      }
      const n = SAMPLES * SAMPLES;
      const alpha = sum[3] / n;
      const at = (y * size + x) * 4;
      for (let i = 0; i < 3; i++) pixels[at + i] = alpha ? Math.round(sum[i] / n / alpha) : 0;
      pixels[at + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(pixels, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // no filter
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function buildIcons() {
  const icon = parseCircles(readFileSync(join(ROOT, "static", "img", "icon.svg"), "utf8"));
  const white = [255, 255, 255, 255];
  const icons = {
    "icon-192.png": [192, {}],
    "icon-512.png": [512, {}],
    "icon-maskable-512.png": [512, { scale: 0.7, background: white }],
  };
  for (const [name, [size, options]] of Object.entries(icons)) {
    writeFileSync(join(OUT, name), png(rasterise(icon, size, options), size));
  }
  return Object.keys(icons).length;
}

// The shell's revision is filled in when the worker is served (mentoring/views/offline.py): a hash
// of the shell as the server renders it now, so any change to it makes a new worker.
const SHELL_REVISION = "__ALONGSIDE_SHELL_REVISION__";
// And STATIC_URL, which settings decide ("/static/" unless set otherwise).
const STATIC = "__ALONGSIDE_STATIC_URL__";

async function buildServiceWorker() {
  const { warnings } = await generateSW({
    swDest: join(OUT, "sw.js"),
    globDirectory: OUT,
    globPatterns: [],
    additionalManifestEntries: [{ url: "/mentor/offline/", revision: SHELL_REVISION }],
    inlineWorkboxRuntime: true,
    mode: "production",
    sourcemap: false,
    skipWaiting: true,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    // Background Sync: the queue's sending code, shared with the page (unhashed names: collectstatic
    // keeps the originals beside the hashed copies, and the worker is built before either exists).
    importScripts: [`${STATIC}vendor/pwa/idb.umd.js`, `${STATIC}js/offline-queue.js`, `${STATIC}js/offline-sync.js`],
    runtimeCaching: [
      {
        // Her home and a log form: always from the server; with no signal, the shell instead.
        urlPattern: ({ request, url }) =>
          request.mode === "navigate" &&
          (url.pathname === "/mentor/" || /^\/mentor\/pairs\/\d+\/sessions\/new\/$/.test(url.pathname)),
        handler: "NetworkOnly",
        options: { precacheFallback: { fallbackURL: "/mentor/offline/" } },
      },
      {
        // The site's own styles, scripts and icons: no personal content.
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("__ALONGSIDE_STATIC_URL__"),
        handler: "StaleWhileRevalidate",
        options: { cacheName: "alongside-static" },
      },
    ],
  });
  for (const warning of warnings) console.warn(warning);
}

mkdirSync(OUT, { recursive: true });
for (const [source, target] of Object.entries(LIBRARIES)) {
  const src = join(MODULES, source);
  if (!existsSync(src)) {
    console.error(`missing ${src}: run npm ci first`);
    process.exit(1);
  }
  copyFileSync(src, join(OUT, target));
}
const icons = buildIcons();
await buildServiceWorker();
console.log(`built the service worker, ${Object.keys(LIBRARIES).length} libraries and ${icons} icons into static/vendor/pwa`);
