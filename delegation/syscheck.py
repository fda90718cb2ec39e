"""Check that the system libraries WeasyPrint needs are installed.

``python -m delegation.syscheck`` exits 0 when a PDF can be made, and otherwise prints
which package to install, instead of a traceback. ``make run`` calls it first.
"""

from __future__ import annotations

import sys

_HELP = {
    "harfbuzz-subset": (
        "HarfBuzz's subsetting library",
        "sudo apt-get install libharfbuzz-subset0",
        "brew install harfbuzz",
    ),
    "pango": (
        "Pango",
        "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0",
        "brew install pango",
    ),
}


def missing_library_message(error: BaseException) -> str:
    text = str(error)
    what, debian, macos = next(
        (help_ for key, help_ in _HELP.items() if key in text),
        (
            "A library WeasyPrint needs",
            "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
            "brew install pango harfbuzz",
        ),
    )
    return (
        f"{what} is missing, so PDFs cannot be made.\n"
        f"  Debian/Ubuntu: {debian}\n"
        f"  macOS:         {macos}\n"
        f"(WeasyPrint said: {text.splitlines()[0] if text else type(error).__name__})"
    )


def check() -> str | None:
    """Return None when WeasyPrint can render, else a message naming what to install."""
    try:
        from weasyprint import HTML

        HTML(string="<p>ok</p>").write_pdf()
    except OSError as error:
        return missing_library_message(error)
    return None


def main() -> int:
    message = check()
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
