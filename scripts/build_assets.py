"""Build the front-end assets from the npm packages into static/vendor (git-ignored).

`make assets` runs this after `npm ci`. The work is done by scripts/build_assets.mjs under
Node (Bootstrap's Sass through sass-embedded, Bootstrap's JavaScript through rollup); this
checks that Node and the packages are there and says what was built. No CDN and no pasted
copies: everything comes from the npm registry at the versions package-lock.json pins.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"
BUILD = ROOT / "scripts" / "build_assets.mjs"
NEEDED = ("bootstrap", "htmx.org", "sass-embedded", "rollup", "@rollup/plugin-terser")


def main() -> int:
    node = shutil.which("node")
    if node is None:
        print("node is not installed: the assets are built with Node (see docs/operations.md)", file=sys.stderr)
        return 1
    missing = [name for name in NEEDED if not (MODULES / name / "package.json").exists()]
    if missing:
        print(f"missing from node_modules: {', '.join(missing)}: run npm ci first", file=sys.stderr)
        return 1
    built = subprocess.run([node, str(BUILD)], cwd=ROOT, check=False).returncode  # noqa: S603 (our own script)
    return built or build_mentor_app(node)


# --- the mentor's offline app: service worker, its libraries and icons (docs/offline.md) ---
def build_mentor_app(node: str) -> int:
    return subprocess.run([node, str(ROOT / "scripts" / "build_sw.mjs")], cwd=ROOT, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
