"""ci/changed_functions.py: changed paths → the functions the deploy workflow deploys."""

import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from ci.changed_functions import (
    DEFAULT_TEMPLATE,
    REPOSITORY_ROOT,
    TemplateError,
    TemplateSources,
    UnknownRevisionError,
    changed_paths,
    functions_to_deploy,
    main,
    read_template,
)

# Short tags (!Ref, !Sub) on purpose: the template must be read the way SAM reads it.
SAMPLE_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    CodeUri: src/default/
    Layers: [!Ref Shared]
Resources:
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/shared/
  One:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "${AWS::StackName}-one"
      CodeUri: src/one/
  OneAndAHalf:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/one-and-a-half
  Defaulted:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
  Inline:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return event"
  Table:
    Type: AWS::DynamoDB::Table
"""
SAMPLE_FUNCTIONS = ["Defaulted", "Inline", "One", "OneAndAHalf"]

Cli = Callable[..., tuple[int, dict[str, object], str]]


def git(repository: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=test", "-c", "user.email=test@example.test", *args]
    return subprocess.run(command, cwd=repository, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603 - git with test arguments


def write(root: Path, relative: str, text: str = "x\n") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A repository folder holding SAMPLE_TEMPLATE and the folders it names."""
    write(tmp_path, "template.yaml", SAMPLE_TEMPLATE)
    for folder in ("src/default", "src/one", "src/one-and-a-half", "layers/shared"):
        write(tmp_path, f"{folder}/app.py")
    return tmp_path


@pytest.fixture
def sample_sources(sample: Path) -> TemplateSources:
    return read_template(sample / "template.yaml", sample)


@pytest.fixture
def repository(sample: Path) -> Path:
    """``sample`` as a git repository with one commit, tagged ``deployed``."""
    git(sample, "init", "--quiet", "--initial-branch=main")
    git(sample, "add", ".")
    git(sample, "commit", "--quiet", "-m", "first")
    git(sample, "tag", "deployed")
    return sample


def commit_all(repository: Path, message: str = "change") -> None:
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "-m", message)


# The repository's own template.


def test_every_function_folder_is_the_code_uri_of_a_template_function() -> None:
    sources = read_template(DEFAULT_TEMPLATE)
    folders = {
        PurePosixPath(path.relative_to(REPOSITORY_ROOT).as_posix())
        for path in (REPOSITORY_ROOT / "functions").iterdir()
        if path.is_dir()
    }

    assert set(sources.functions.values()) == folders


@pytest.mark.parametrize("logical_id", sorted(read_template(DEFAULT_TEMPLATE).functions))
def test_a_change_in_one_function_folder_deploys_that_function_alone(logical_id: str) -> None:
    sources = read_template(DEFAULT_TEMPLATE)

    assert functions_to_deploy([f"{sources.functions[logical_id]}/app.py"], sources) == [logical_id]


@pytest.mark.parametrize(
    "path",
    ["layers/shared/requirements.txt", "layers/shared/identity_stack/auth/rbac.py", "template.yaml", "samconfig.toml"],
)
def test_a_layer_template_or_samconfig_change_deploys_every_function(path: str) -> None:
    sources = read_template(DEFAULT_TEMPLATE)

    assert (REPOSITORY_ROOT / path).exists()
    assert functions_to_deploy([path], sources) == sorted(sources.functions)


@pytest.mark.parametrize(
    "path",
    [
        "README.md",
        "docs/ARCHITECTURE.md",
        "tests/functions/test_sample_events.py",
        "frontend/src/main.tsx",
        "infra/aws_dynamodb.tf",
        ".github/workflows/deploy.yml",
        "requirements-dev.txt",
        "ci/changed_functions.py",
    ],
)
def test_docs_tests_frontend_and_infra_changes_deploy_nothing(path: str) -> None:
    assert functions_to_deploy([path], read_template(DEFAULT_TEMPLATE)) == []


# The rule, on a template made for it.


def test_globals_code_uri_applies_to_a_function_without_its_own(sample_sources: TemplateSources) -> None:
    assert functions_to_deploy(["src/default/app.py"], sample_sources) == ["Defaulted"]


def test_a_folder_named_like_another_function_folder_is_not_inside_it(sample_sources: TemplateSources) -> None:
    assert functions_to_deploy(["src/one-and-a-half/app.py"], sample_sources) == ["OneAndAHalf"]
    assert functions_to_deploy(["src/one/app.py", ""], sample_sources) == ["One"]


def test_an_inline_function_is_deployed_only_by_a_template_change(sample_sources: TemplateSources) -> None:
    assert "Inline" not in functions_to_deploy(["src/one/app.py", "src/default/app.py"], sample_sources)
    assert functions_to_deploy(["template.yaml"], sample_sources) == SAMPLE_FUNCTIONS


def test_the_layer_folder_comes_from_its_content_uri(sample_sources: TemplateSources) -> None:
    assert functions_to_deploy(["layers/shared/app.py"], sample_sources) == SAMPLE_FUNCTIONS
    assert functions_to_deploy(["layers/other/app.py"], sample_sources) == []


def test_code_uris_are_relative_to_the_template_folder(tmp_path: Path) -> None:
    write(tmp_path, "stack/template.yaml", SAMPLE_TEMPLATE)

    sources = read_template(tmp_path / "stack" / "template.yaml", tmp_path)

    assert functions_to_deploy(["stack/src/one/app.py"], sources) == ["One"]
    assert functions_to_deploy(["src/one/app.py"], sources) == []
    assert functions_to_deploy(["stack/samconfig.toml"], sources) == SAMPLE_FUNCTIONS


@pytest.mark.parametrize(
    ("code_uri", "message"),
    [
        ("{Bucket: artifacts, Key: one.zip}", "not a local path"),
        ("!Sub '${AWS::StackName}/one'", "not a local path"),
        ("../elsewhere/", "outside the repository"),
    ],
)
def test_a_code_location_outside_the_repository_is_refused(tmp_path: Path, code_uri: str, message: str) -> None:
    write(tmp_path, "repo/template.yaml", SAMPLE_TEMPLATE.replace("CodeUri: src/one/", f"CodeUri: {code_uri}"))

    with pytest.raises(TemplateError, match=message):
        read_template(tmp_path / "repo" / "template.yaml", tmp_path / "repo")


def test_a_function_without_code_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", SAMPLE_TEMPLATE.replace("    CodeUri: src/default/\n", ""))

    with pytest.raises(TemplateError, match="Defaulted: no CodeUri"):
        read_template(tmp_path / "template.yaml", tmp_path)


# Paths from git.


def test_changed_paths_lists_modified_added_deleted_and_both_sides_of_a_move(repository: Path) -> None:
    write(repository, "src/one/app.py", "changed\n")
    write(repository, "docs/new.md")
    (repository / "src/default/app.py").unlink()
    git(repository, "mv", "layers/shared/app.py", "src/one-and-a-half/moved.py")
    commit_all(repository)

    assert sorted(changed_paths("deployed", "HEAD", repository)) == [
        "docs/new.md",
        "layers/shared/app.py",
        "src/default/app.py",
        "src/one-and-a-half/moved.py",
        "src/one/app.py",
    ]


def test_changed_paths_compares_trees_so_a_reverted_change_is_no_change(repository: Path) -> None:
    write(repository, "src/one/app.py", "changed\n")
    commit_all(repository)
    write(repository, "src/one/app.py", "x\n")
    commit_all(repository, "revert")

    assert changed_paths("deployed", "HEAD", repository) == []


def test_changed_paths_refuses_a_commit_the_clone_does_not_have(repository: Path) -> None:
    with pytest.raises(UnknownRevisionError, match="0123456789abcdef"):
        changed_paths("0123456789abcdef0123456789abcdef01234567", "HEAD", repository)


# The command line.


@pytest.fixture
def cli(repository: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run main() on ``repository``: (exit status, the JSON printed, standard error)."""

    def run(*args: str) -> tuple[int, dict[str, object], str]:
        code = main(["--template", str(repository / "template.yaml"), "--repository-root", str(repository), *args])
        captured = capsys.readouterr()
        return code, json.loads(captured.out) if captured.out else {}, captured.err

    return run


def test_cli_deploys_what_changed_since_the_base_and_writes_github_outputs(
    repository: Path, cli: Cli, tmp_path: Path
) -> None:
    write(repository, "src/one/app.py", "changed\n")
    write(repository, "src/default/app.py", "changed\n")
    commit_all(repository)
    outputs = tmp_path / "github_output"
    outputs.write_text("earlier=kept\n")

    code, result, _ = cli("--base", "deployed", "--github-output", str(outputs))

    assert code == 0
    assert result == {"functions": ["Defaulted", "One"], "all": False}
    lines = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert lines["earlier"] == "kept"
    assert json.loads(lines["functions"]) == ["Defaulted", "One"]
    assert lines["names"] == "Defaulted One"
    assert lines["count"] == "2"


def test_cli_with_nothing_changed_deploys_nothing(repository: Path, cli: Cli, tmp_path: Path) -> None:
    write(repository, "README.md")
    commit_all(repository)
    outputs = tmp_path / "github_output"

    code, result, _ = cli("--base", "deployed", "--github-output", str(outputs))

    assert (code, result) == (0, {"functions": [], "all": False})
    assert "names=\ncount=0\n" in outputs.read_text()


@pytest.mark.parametrize("args", [("--base", ""), ("--all",), ("--base", "0123456789abcdef0123456789abcdef01234567")])
def test_cli_without_a_known_base_deploys_every_function(cli: Cli, args: tuple[str, ...]) -> None:
    code, result, err = cli(*args)

    assert (code, result) == (0, {"functions": SAMPLE_FUNCTIONS, "all": True})
    assert ("not a commit of this clone" in err) == (args[-1].startswith("0123"))


def test_cli_reads_paths_from_stdin(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("docs/a.md\nsrc/one/app.py\n"))

    assert cli("--stdin")[:2] == (0, {"functions": ["One"], "all": False})


def test_cli_reports_a_template_error_with_status_1(cli: Cli, repository: Path) -> None:
    write(repository, "template.yaml", SAMPLE_TEMPLATE.replace("src/one/", "../../outside/"))

    code, result, err = cli("--all")

    assert (code, result) == (1, {})
    assert "One: ../../outside/ is outside the repository" in err
