"""Fail when a UI string lacks a Finnish or Swedish translation, or a catalogue is not compiled.

Re-extracts the strings into a scratch copy of the catalogues (the working tree is left as it
was), then reads every message with Babel and compiles each catalogue with msgfmt to compare
with the committed .mo file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# The project catalogue, and the catalogues of apps that keep their own (makemessages routes each
# app's strings to the nearest `locale` folder above them).
LOCALES = [ROOT / "kotoverkko" / "locale", *sorted(ROOT.glob("kotoverkko/*/locale"))]
LANGUAGES = ("fi", "sv")


def main() -> int:
    scratch = Path(tempfile.mkdtemp())
    backups = {locale: scratch / str(index) for index, locale in enumerate(LOCALES)}
    for locale, backup in backups.items():
        shutil.copytree(locale, backup)
    problems: list[str] = []
    try:
        env = {**os.environ, "DEBUG": "1"}
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--no-location",
                "--no-obsolete",
                "--ignore=.venv",
                "--ignore=var",
                *[f"-l{lang}" for lang in LANGUAGES],
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        for locale, language in ((locale, language) for locale in LOCALES for language in LANGUAGES):
            po_path = locale / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                continue  # an app without UI strings of its own
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            for message in catalog:
                if not message.id:
                    continue
                label = message.id if isinstance(message.id, str) else message.id[0]
                where = f"{po_path.relative_to(ROOT)}"
                if message.fuzzy:
                    problems.append(f"{where}: fuzzy: {label!r}")
                elif not message.string or (not isinstance(message.string, str) and not all(message.string)):
                    problems.append(f"{where}: untranslated: {label!r}")
    finally:
        for locale, backup in backups.items():
            shutil.rmtree(locale)
            shutil.copytree(backup, locale)
        shutil.rmtree(scratch)
    for locale, language in ((locale, language) for locale in LOCALES for language in LANGUAGES):
        directory = locale / language / "LC_MESSAGES"
        if not (directory / "django.po").exists():
            continue
        with tempfile.NamedTemporaryFile(suffix=".mo") as compiled:
            subprocess.run(["msgfmt", "-o", compiled.name, str(directory / "django.po")], check=True)
            committed = directory / "django.mo"
            if not committed.exists() or Path(compiled.name).read_bytes() != committed.read_bytes():
                problems.append(f"{directory.relative_to(ROOT)}: django.mo is stale (run `make messages`)")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s). Run `make messages` and translate the new strings.")
        return 1
    print("Translations complete for: " + ", ".join(LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
