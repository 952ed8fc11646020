"""scripts/build_assets.py builds Bootstrap from its Sass with only the parts the pages use
(static/scss/bootstrap.scss): much smaller than Bootstrap's whole stylesheet, yet every
Bootstrap class a template (ours or crispy-forms' bootstrap5 field templates) puts on a page is
still defined. Reads the files `make assets` built; builds nothing itself."""

from __future__ import annotations

import re
from pathlib import Path

import crispy_bootstrap5
from django.contrib.messages.constants import DEFAULT_TAGS

ROOT = Path(__file__).resolve().parents[2]
BUILT_CSS = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
BUILT_JS = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.js"
BOOTSTRAP_DIST = ROOT / "node_modules" / "bootstrap" / "dist"
CRISPY = Path(crispy_bootstrap5.__file__).parent / "templates"
# What `{{ form|crispy }}` and `|as_crispy_field` render; the includes they reach are followed.
# (No page builds a crispy layout, so its tabs, accordions and modals never render.)
CRISPY_ENTRIES = ("bootstrap5/uni_form.html", "bootstrap5/field.html", "bootstrap5/errors.html")
# Classes no template spells out: base.html's messages (`alert-{{ message.tags }}`, error shown
# as danger) and what Bootstrap's collapse.js adds to the navbar menu as it opens and closes
# (it also marks the button `collapsed`, which only an accordion styles).
AT_RENDER_TIME = {f"alert-{'danger' if tag == 'error' else tag}" for tag in DEFAULT_TAGS.values()} - {"alert-debug"}
BY_SCRIPT = {"show", "collapsing"}

TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Classes handed to a tag or a widget as a string: {% crispy_field field 'class' 'form-select' %},
# attrs={"class": "form-control"}.
CLASS_STRING = re.compile(r"""['"]class['"]\s*[:,]?\s*['"]([^'"]+)['"]""")
INCLUDE = re.compile(r"""{%\s*include\s+['"]([^'"]+)['"]""")
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def defined_classes(css: str) -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"url\([^)]*\)", "", css)  # data: URLs hold dots that aren't class names
    return set(CSS_CLASS.findall(css))


def classes_in(text: str) -> set[str]:
    found: set[str] = set()
    for match in CLASS_ATTRIBUTE.finditer(text):
        # A template tag inside the attribute is replaced by a space: what is left around it
        # is whole class names (a `{% if %}` branch's own quoted classes are found below).
        found.update(TEMPLATE_TAG.sub(" ", match.group(1) or match.group(2) or "").split())
    for tag in TEMPLATE_TAG.findall(text):
        for string in re.findall(r"""['"]([a-z][\w -]*)['"]""", tag):
            found.update(string.split())
    for match in CLASS_STRING.finditer(text):
        found.update(match.group(1).split())
    return found


def crispy_templates() -> list[Path]:
    seen: dict[str, Path] = {}
    todo = list(CRISPY_ENTRIES)
    while todo:
        name = todo.pop()
        if name in seen or not (CRISPY / name).exists():
            continue
        seen[name] = CRISPY / name
        todo.extend(INCLUDE.findall(seen[name].read_text()))
    return list(seen.values())


def used_classes() -> dict[str, str]:
    """Every class name a page may carry, and one file it comes from."""
    sources = [
        *sorted((ROOT / "templates").rglob("*.html")),
        *crispy_templates(),
        *(path for app in ("mentoring", "safeguarding", "funding") for path in sorted((ROOT / app).rglob("*.py"))),
    ]
    used: dict[str, str] = {}
    for path in sources:
        for name in classes_in(path.read_text()):
            used.setdefault(name, str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name))
    for name in AT_RENDER_TIME | BY_SCRIPT:
        used.setdefault(name, "rendered or scripted")
    return used


def test_the_built_stylesheet_is_well_under_half_of_bootstraps():
    built = BUILT_CSS.stat().st_size
    whole = (BOOTSTRAP_DIST / "css" / "bootstrap.min.css").stat().st_size
    assert built < whole / 2, f"built {built} bytes, Bootstrap's whole stylesheet {whole}"


def test_every_bootstrap_class_the_pages_use_is_in_the_built_stylesheet():
    bootstraps = defined_classes((BOOTSTRAP_DIST / "css" / "bootstrap.css").read_text())
    built = defined_classes(BUILT_CSS.read_text())
    used = used_classes()
    wanted = {name: source for name, source in used.items() if name in bootstraps}
    # The scan finds what it should: a handful of classes known to be on the pages.
    assert {"navbar-toggler", "form-control", "is-invalid", "btn-outline-primary", "alert-danger", "ms-md-auto"} <= set(
        wanted
    )
    missing = sorted(f"{name} ({source})" for name, source in wanted.items() if name not in built)
    assert missing == [], (
        "Bootstrap classes used but not built: add their part or utility group to static/scss/bootstrap.scss: "
        + ", ".join(missing)
    )


def test_the_scan_would_catch_a_class_left_out():
    """The check above is only as good as the scan: a part left out of the build is noticed."""
    built = defined_classes(BUILT_CSS.read_text())
    left_out = {"modal-dialog", "accordion-button", "btn-warning", "mt-md-5", "progress-bar", "list-group-item-info"}
    assert left_out.isdisjoint(built)
    assert classes_in('<div class="modal-dialog {% if x %}mt-md-5{% endif %}">') == {"modal-dialog", "mt-md-5"}
    assert classes_in("{% crispy_field field 'class' 'btn-warning' %}") >= {"btn-warning"}
    assert classes_in('attrs={"class": "progress-bar"}') == {"progress-bar"}
    assert "accordion-button" in classes_in('<button class="{% if open %}accordion-button{% endif %}">')


def test_the_built_script_has_the_navbar_collapse_and_not_the_rest_of_bootstrap():
    script = BUILT_JS.read_text()
    whole = (BOOTSTRAP_DIST / "js" / "bootstrap.bundle.min.js").stat().st_size
    assert '[data-bs-toggle="collapse"]' in script
    assert "Licensed under MIT" in script
    assert "popper" not in script.lower()
    assert len(script) < whole / 4
