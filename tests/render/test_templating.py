"""Templates: compiled code kept between builds, in the right place, never stale."""
from __future__ import annotations

from pathlib import Path

import pytest

from compendium.render import templating


@pytest.fixture()
def user_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "compendium" / "templates"


def _kept(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.cache")) if folder.is_dir() else []


def test_the_default_templates_compile_once_into_the_user_cache(user_cache, tmp_path, monkeypatch):
    project_cache = tmp_path / "project" / ".compendium-cache"
    env = templating.environment(None, cache_dir=project_cache)
    env.get_template("epub/imprint.xhtml")
    kept = _kept(user_cache)
    assert len(kept) == 1  # a default: the user's cache, like Python's bytecode
    assert _kept(project_cache) == []

    # a fresh environment (the next build, even --clean with another project cache) uses that code
    compiled = []
    monkeypatch.setattr(templating._Environment, "_compile", lambda self, source, filename: compiled.append(filename))
    env = templating.environment(None, cache_dir=tmp_path / "elsewhere")
    env.get_template("epub/imprint.xhtml")
    assert compiled == []


def test_a_projects_template_is_kept_in_its_build_cache_and_an_edit_is_seen(user_cache, tmp_path):
    templates = tmp_path / "project" / "templates"
    (templates / "html").mkdir(parents=True)
    page = templates / "html" / "note.html"
    page.write_text("first {{ word }}\n", encoding="utf-8")
    project_cache = tmp_path / "project" / ".compendium-cache"

    env = templating.environment(templates, cache_dir=project_cache)
    assert templating.render(env, "html/note.html", word="draft") == "first draft\n"
    assert len(_kept(project_cache)) == 1
    assert _kept(user_cache) == []  # a project's own template stays with the project

    page.write_text("second {{ word }}\n", encoding="utf-8")  # edited between two builds
    env = templating.environment(templates, cache_dir=project_cache)
    assert templating.render(env, "html/note.html", word="draft") == "second draft\n"


def test_escaping_and_plain_environments_never_share_code(user_cache, tmp_path):
    templates = tmp_path / "templates"
    (templates / "x").mkdir(parents=True)
    (templates / "x" / "t.txt").write_text("{{ word }}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    escaped = templating.environment(templates, autoescape=True, cache_dir=cache)
    assert templating.render(escaped, "x/t.txt", word="<b>") == "&lt;b&gt;\n"
    plain = templating.environment(templates, autoescape=False, cache_dir=cache)
    assert templating.render(plain, "x/t.txt", word="<b>") == "<b>\n"
    escaped = templating.environment(templates, autoescape=True, cache_dir=cache)
    assert templating.render(escaped, "x/t.txt", word="<b>") == "&lt;b&gt;\n"


def test_a_cache_that_cannot_be_written_only_means_compiling(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the user's cache folder should be
    templates = tmp_path / "templates"
    (templates / "x").mkdir(parents=True)
    (templates / "x" / "t.txt").write_text("ok {{ word }}\n", encoding="utf-8")
    env = templating.environment(templates, cache_dir=blocker / "project")
    assert templating.render(env, "x/t.txt", word="still") == "ok still\n"
    assert env.get_template("epub/imprint.xhtml").filename.endswith("imprint.xhtml")  # a default, compiled
