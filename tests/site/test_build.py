"""Layer 1: the whole site builds in strict mode (warnings are errors) in both languages."""

import re

# A docs file named in a MkDocs warning: 'part/page.en.md' in quotes, or "  - part/page.en.md" in a list.
DOC_FILE = re.compile(r"""['"]?([\w./-]+\.(?:md|ipynb))['"]?""")


def build_problems(log: str) -> list[str]:
    """Each warning of the build log as one message that starts with the file it is about.

    MkDocs continues some warnings on the next lines (the list of pages missing from the nav);
    those lines are kept, so no page name is cut from the report.
    """
    messages: list[list[str]] = []
    for line in log.splitlines():
        if re.match(r"(WARNING|ERROR)\b", line):
            messages.append([re.sub(r"^(WARNING|ERROR)\s*-\s*", "", line).strip()])
        elif messages and line.startswith((" ", "\t")) and line.strip():
            messages[-1].append(line.strip())
    problems = []
    for head, *rest in messages:
        if rest and all(item.startswith("- ") for item in rest):  # "pages not in the nav:" + a list
            problems += [f"docs/{item[2:].strip()}: {head.rstrip(':')}" for item in rest]
            continue
        text = " ".join([head, *rest])
        match = DOC_FILE.search(text)
        if match and not text.startswith(("docs/", match[1])):
            path = match[1] if match[1].startswith("docs/") else f"docs/{match[1]}"
            text = f"{path}: {text}"
        problems.append(text)
    return problems


def test_strict_build_has_no_warnings(strict_build):
    problems = build_problems(strict_build.log)
    assert strict_build.returncode == 0 and not problems, "\n".join(
        problems or ["mkdocs build --strict failed:", *strict_build.log.splitlines()[-20:]])


def test_build_warnings_are_reported_with_the_file_first():
    log = ("INFO    -  Building documentation...\n"
           "WARNING -  Doc file 'guide/how-to-use.en.md' contains a link '../no-such-page.md', but the target is not found.\n"
           "INFO    -  The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n"
           "WARNING -  The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n"
           "  - fundamentals/new-chapter.en.md\n"
           "  - fundamentals/new-chapter.zh.md\n"
           "WARNING -  docs/financing/x.en.md:3: checked date '2026-13' is not a real date\n"
           "Aborted with 3 warnings in strict mode!\n")
    assert build_problems(log) == [
        "docs/guide/how-to-use.en.md: Doc file 'guide/how-to-use.en.md' contains a link '../no-such-page.md', "
        "but the target is not found.",
        "docs/fundamentals/new-chapter.en.md: The following pages exist in the docs directory, but are not included "
        "in the \"nav\" configuration",
        "docs/fundamentals/new-chapter.zh.md: The following pages exist in the docs directory, but are not included "
        "in the \"nav\" configuration",
        "docs/financing/x.en.md:3: checked date '2026-13' is not a real date",
    ]


def test_both_languages_are_built(site):
    assert (site / "index.html").is_file()
    assert (site / "en" / "index.html").is_file()
    assert '<html lang="zh"' in (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (site / "en" / "index.html").read_text(encoding="utf-8")
