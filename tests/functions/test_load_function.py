"""tests.builders.load_function: a function folder with more than app.py imports as it does in Lambda."""

import sys
from pathlib import Path

from tests.builders import load_function

APP = "from helpers import greeting\n\nANSWER = greeting()\n"


def write_function(root: Path, group: str, greeting: str) -> None:
    folder = root / group
    folder.mkdir()
    (folder / "app.py").write_text(APP)
    (folder / "helpers.py").write_text(f"def greeting() -> str:\n    return {greeting!r}\n")


def test_load_function_imports_a_sibling_module_of_app(tmp_path: Path) -> None:
    write_function(tmp_path, "hello", "hello from a sibling")

    module = load_function("hello", functions_path=tmp_path)

    assert module.ANSWER == "hello from a sibling"
    assert str(tmp_path / "hello") not in sys.path


def test_load_function_gives_each_function_its_own_sibling_of_the_same_name(tmp_path: Path) -> None:
    write_function(tmp_path, "first", "first's helpers")
    write_function(tmp_path, "second", "second's helpers")

    first = load_function("first", functions_path=tmp_path)
    second = load_function("second", functions_path=tmp_path)

    assert (first.ANSWER, second.ANSWER) == ("first's helpers", "second's helpers")
    assert "helpers" not in sys.modules
