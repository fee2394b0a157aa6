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
LOCALE = ROOT / "kotoverkko" / "locale"
LANGUAGES = ("fi", "sv")


def main() -> int:
    backup = Path(tempfile.mkdtemp()) / "locale"
    shutil.copytree(LOCALE, backup)
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
        for language in LANGUAGES:
            po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            for message in catalog:
                if not message.id:
                    continue
                label = message.id if isinstance(message.id, str) else message.id[0]
                if message.fuzzy:
                    problems.append(f"{language}: fuzzy: {label!r}")
                elif not message.string or (not isinstance(message.string, str) and not all(message.string)):
                    problems.append(f"{language}: untranslated: {label!r}")
    finally:
        shutil.rmtree(LOCALE)
        shutil.copytree(backup, LOCALE)
    for language in LANGUAGES:
        directory = LOCALE / language / "LC_MESSAGES"
        with tempfile.NamedTemporaryFile(suffix=".mo") as compiled:
            subprocess.run(["msgfmt", "-o", compiled.name, str(directory / "django.po")], check=True)
            committed = directory / "django.mo"
            if not committed.exists() or Path(compiled.name).read_bytes() != committed.read_bytes():
                problems.append(f"{language}: django.mo is not compiled from django.po (run `make messages`)")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s). Run `make messages` and translate the new strings.")
        return 1
    print("Translations complete for: " + ", ".join(LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
