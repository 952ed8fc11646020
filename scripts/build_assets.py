"""Copy the front-end assets installed by npm into static/vendor (git-ignored).

No CDN and no pasted copies: the files come from the npm registry at the versions
package-lock.json pins.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
}


def main() -> int:
    for source, target in FILES.items():
        src = MODULES / source
        if not src.exists():
            print(f"missing {src}: run npm ci first", file=sys.stderr)
            return 1
        dest = VENDOR / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    print(f"copied {len(FILES)} asset files into {VENDOR.relative_to(ROOT)}")
    return build_mentor_app()


# --- the mentor's offline app: service worker, its libraries and icons (scripts/build_sw.mjs) ---
def build_mentor_app() -> int:
    """Where node isn't installed (the image's Python stage), the node stage built it already."""
    node = shutil.which("node")
    if node is None:
        if (VENDOR / "pwa" / "sw.js").exists():
            return 0
        print("node not found and static/vendor/pwa not built: run scripts/build_sw.mjs", file=sys.stderr)
        return 1
    return subprocess.call([node, str(ROOT / "scripts" / "build_sw.mjs")])  # noqa: S603 (our own script)


if __name__ == "__main__":
    sys.exit(main())
