"""Every example in README.md and docs/ runs as written.

The examples are read from the Markdown, never copied here, so a page that drifts from the
code fails this suite. Each fenced block is handled by its language:

- `sh`: each command runs with the installed `kprocess` in a copy of the repository (so commands
  that write files cannot touch the real tree) and must exit 0. A `kprocess simulate` that asks
  in the terminal (no `--json`, `--no-input` or `--batch`) runs under a pseudo-terminal and every
  question is answered (yes/no `nej`, choices `1`, numbers `6`). Setting up a virtual environment
  and running this test suite are left out: `.ci/run` does both.
- `python`: run in a fresh interpreter from the repository root.
- `yaml`: a whole pack is validated with every check; a golden case (marked
  `<!-- case for: PACK -->`) is run against its pack and must pass; any other fragment is
  validated against the model it belongs to (a list of steps, a `decision`, a top-level key …),
  where only keys the fragment leaves out are allowed to be missing.
- `json`: parsed; the example of `simulate --json` is validated against its schema.
- `text`: a reported problem (`file:line:column: KPnnn …`) is reproduced by making that typo in
  a copy of the file; a block marked `<!-- conditions -->` holds one condition per line; a block
  marked `<!-- output -->` right after a `sh` block is what the last command of that block prints
  (trailing spaces aside; a line holding only `…` stands for any number of lines).

A block can be left out only with `<!-- not-run: reason -->` on the line before it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from pydantic import BaseModel, TypeAdapter, ValidationError

from kprocess import model
from kprocess.golden import CaseFile
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"^<!--\s*(.+?)\s*-->$")
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<code>KP\d{3}) ")
SETUP = re.compile(r"^python3 -m venv \.venv && \.venv/bin/pip install [^&]*&& ")
KNOWN_LANGUAGES = {"sh", "python", "yaml", "json", "text"}


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: str
    line: int
    language: str
    text: str
    marker: str | None

    @property
    def name(self) -> str:
        """`page:line`, the test id."""
        return f"{self.page}:{self.line}"


def read_blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page with the marker comment on the line before each."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        end = index + 1
        while not lines[end].startswith("```"):
            end += 1
        before = next((x.strip() for x in reversed(lines[:index]) if x.strip()), "")
        marked = MARKER.match(before)
        found.append(
            Block(
                str(page.relative_to(ROOT)),
                index + 1,
                opening.group(1),
                "\n".join(lines[index + 1 : end]) + "\n",
                marked.group(1) if marked else None,
            )
        )
        index = end + 1
    return found


BLOCKS = [b for page in PAGES for b in read_blocks(page)]
OUTPUTS = {
    before.name: after
    for before, after in pairwise(BLOCKS)
    if before.page == after.page and before.language == "sh" and (after.language, after.marker) == ("text", "output")
}


def prints(expected: str, output: str) -> bool:
    """Whether `output` is the `expected` text, where a line `…` stands for any number of lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == "…" else re.escape(line.rstrip()) + "\n" for line in expected.splitlines()
    )
    shown = "".join(line.rstrip() + "\n" for line in output.splitlines())
    return re.fullmatch(pattern, shown) is not None


def of(language: str) -> list[Any]:
    """The blocks of one language as pytest parameters, skipping those marked not-run."""
    return [
        pytest.param(b, id=b.name)
        for b in BLOCKS
        if b.language == language and not (b.marker or "").startswith("not-run:")
    ]


def test_every_block_has_a_known_language_and_few_are_left_out() -> None:
    """Unlabelled fences would escape the suite; left-out blocks must say why."""
    unknown = [b.name for b in BLOCKS if b.language not in KNOWN_LANGUAGES]
    left_out = [b for b in BLOCKS if (b.marker or "").startswith("not-run:")]
    assert unknown == []
    assert [b.name for b in left_out if len(b.marker or "") < len("not-run: x") + 10] == []
    assert len(left_out) <= 3


# --- commands -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository with the packs as they are on disk, using the installed kprocess."""
    copy = tmp_path_factory.mktemp("repo")
    for name in ("README.md", "docs", "regions", "schemas", ".pre-commit-hooks.yaml", "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            shutil.copy2(source, copy / name)
    # The fuzz targets, for the bounded fuzz run docs/testing.md shows (its findings stay in the copy).
    (copy / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "__init__.py", copy / "tests" / "__init__.py")
    shutil.copytree(ROOT / "tests" / "fuzz", copy / "tests" / "fuzz", ignore=shutil.ignore_patterns("corpus-run"))
    (copy / ".venv").symlink_to(BIN.parent)
    return copy


def commands(block: Block) -> list[str]:
    """The block's commands, one per logical line, without the environment set-up."""
    joined = block.text.replace("\\\n", " ")
    out = []
    for raw in joined.splitlines():
        line = SETUP.sub("", raw.strip())
        if not line or line.startswith("#") or "pytest" in line or line.startswith("bash .ci/run"):
            continue
        out.append(line)
    return out


def environment() -> dict[str, str]:
    """PATH with the installed kprocess first; wide and colourless output."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", COLUMNS="100", NO_COLOR="1")
    env.pop("FORCE_COLOR", None)
    return env


def asks(command: str) -> bool:
    """A simulate run that asks its questions in the terminal."""
    return "kprocess simulate" in command and not re.search(r"--json|--no-input|--batch|--format json", command)


def answer_everything(command: str, cwd: Path) -> tuple[int, str]:
    """Run `command` under a pseudo-terminal, answering each question; return exit code and output."""
    import pexpect

    child = pexpect.spawn(
        "bash", ["-c", command], cwd=str(cwd), env=environment(), encoding="utf-8", timeout=30, dimensions=(50, 100)
    )
    prompts = [r"\(ja/nej\): $", r"\(1[-–]\d+ eller id\): $", r"\(tal[^)]*\): $", pexpect.EOF]
    while (which := child.expect(prompts)) != len(prompts) - 1:
        child.sendline(["nej", "1", "6"][which])
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128), str(child.before)


@pytest.mark.parametrize("block", of("sh"))
def test_commands_run(block: Block, workdir: Path) -> None:
    """Each documented command exits 0 (the county packs as they are on disk)."""
    if "tests/fuzz/run.py" in block.text and importlib.util.find_spec("atheris") is None and not IN_CI:
        pytest.skip("atheris is not installed (Linux only; `pip install -e '.[test]'` on Linux brings it)")
    for command in commands(block):
        if asks(command):
            code, output = answer_everything(command, workdir)
        else:
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=workdir,
                env=environment(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            code, output = done.returncode, done.stdout + done.stderr
        assert (command, code) == (command, 0), output[-3000:]
    if block.name in OUTPUTS:
        assert prints(OUTPUTS[block.name].text, output), output[-3000:]


# --- Python -------------------------------------------------------------------------------------


@pytest.mark.parametrize("block", of("python"))
def test_python_snippets_run(block: Block) -> None:
    """Each snippet runs in a fresh interpreter from the repository root."""
    done = subprocess.run(
        [sys.executable, "-c", block.text], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")


# --- YAML ---------------------------------------------------------------------------------------

FRAGMENT_MODELS: list[type[BaseModel]] = [
    model.Step,
    model.Question,
    model.Actor,
    model.SourceDocument,
    model.Phase,
    model.Flow,
    model.OptionSet,
    model.Route,
    model.MandateRule,
]


def parse_yaml(text: str, name: str) -> Any:
    """The block's data as YAML 1.2 (fragments may be lists or only a comment)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe", pure=True).load(text)
    except YAMLError as error:
        pytest.fail(f"{name}: {error}")


def problems(kind: Any, data: Any) -> list[str]:
    """What is wrong with `data` as `kind`, except keys the fragment leaves out."""
    try:
        TypeAdapter(kind).validate_python(data)
    except ValidationError as error:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors() if e["type"] != "missing"]
    return []


def fragment_problems(data: Any) -> list[str]:
    """A fragment checked against the part of the format it is written as."""
    if isinstance(data, dict):
        for owner in (model.Pack, model.Step, model.Decision, model.Question):
            if set(data) <= set(owner.model_fields):
                return problems(owner, data)
        return [f"keys {sorted(data)} belong to no part of the format"]
    if isinstance(data, list):
        found = []
        for item in data:
            fits = [problems(m, item) for m in FRAGMENT_MODELS if set(item) <= set(m.model_fields)]
            if not any(p == [] for p in fits):
                found.append(f"{item.get('id', item)}: {fits[0] if fits else 'no part of the format has these keys'}")
        return found
    return [f"a fragment is a mapping or a list, not {type(data).__name__}"]


@pytest.mark.parametrize("block", of("yaml"))
def test_yaml_examples_fit_the_format(block: Block, tmp_path: Path) -> None:
    """Whole packs validate cleanly, cases pass against their pack, fragments fit their model."""
    from kprocess.golden import run_golden
    from kprocess.pack import analyse_document, load_pack
    from kprocess.yamlsource import parse_bytes

    data = parse_yaml(block.text, block.name)
    marker = block.marker or ""
    if marker.startswith("case for:"):
        pack = load_pack(ROOT / marker.removeprefix("case for:").strip())
        case = tmp_path / "case.yaml"
        case.write_text(block.text, encoding="utf-8")
        outcome = run_golden(pack, case)
        assert outcome.failures == []
    elif marker == "pre-commit config":
        hooks = parse_yaml((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"), "hooks")
        used = [h["id"] for r in data["repos"] for h in r["hooks"]]
        assert sorted(set(used) - {h["id"] for h in hooks}) == []
    elif marker == "github workflow":
        steps = data["jobs"]["validate"]["steps"]
        runs = [s["run"] for s in steps if "run" in s]
        install = [shlex.split(r)[2:] for r in runs if r.startswith("pip install")]
        assert [[(q.name, q.url.split("@")[0][:12]) for q in map(Requirement, i)] for i in install] == [
            [("kprocess", "git+https://")]
        ]
    elif marker == "github workflow: diff":
        (job,) = data["jobs"].values()
        runs = "\n".join(s.get("run", "") for s in job["steps"])
        assert (data["on"]["pull_request"]["paths"], "kprocess diff" in runs) == (["regions/**"], True)
    elif data is None:
        assert block.text.lstrip().startswith("#")
    elif isinstance(data, dict) and set(CaseFile.model_fields) >= set(data) >= {"name", "expect"}:
        pytest.fail("a whole case needs `<!-- case for: regions/<pack>.yaml -->` before it")
    elif isinstance(data, dict) and {"schema_version", "steps", "flows"} <= set(data):
        _, found = analyse_document(parse_bytes(block.text.encode(), block.name))
        assert [d.location() + " " + d.message for d in found] == []
    else:
        assert fragment_problems(data) == []


def test_workflow_commands_run(workdir: Path) -> None:
    """The kprocess commands of the documented GitHub workflow exit 0."""
    (block,) = [b for b in BLOCKS if b.marker == "github workflow"]
    steps = parse_yaml(block.text, block.name)["jobs"]["validate"]["steps"]
    for command in [s["run"] for s in steps if s.get("run", "").startswith("kprocess ")]:
        done = subprocess.run(
            ["bash", "-c", command], cwd=workdir, env=environment(), capture_output=True, text=True, check=False
        )
        assert (command, done.returncode) == (command, 0), done.stdout[-2000:]


# --- JSON and text ------------------------------------------------------------------------------


def without_required(schema: Any) -> Any:
    """The schema with every `required` list removed: a shortened example may leave fields out."""
    if isinstance(schema, dict):
        return {k: without_required(v) for k, v in schema.items() if k != "required"}
    if isinstance(schema, list):
        return [without_required(v) for v in schema]
    return schema


@pytest.mark.parametrize("block", of("json"))
def test_json_examples(block: Block) -> None:
    """JSON examples parse; the simulate example fits the simulation schema."""
    data = json.loads(block.text)
    if block.page == "docs/simulate-json.md":
        import jsonschema

        schema = json.loads((ROOT / "schemas" / "kprocess-simulation.schema.json").read_text(encoding="utf-8"))
        errors = jsonschema.Draft7Validator(without_required(schema)).iter_errors(data)
        assert [e.message for e in errors] == []


@pytest.mark.parametrize("block", of("text"))
def test_text_examples(block: Block, workdir: Path, tmp_path: Path) -> None:
    """A shown problem is what kprocess prints for that typo; condition lists compile."""
    first = DIAGNOSTIC.match(block.text) if block.marker != "output" else None
    if first is not None:
        suggestion = re.search(r"menade du `([^`]+)`", block.text)
        typo = re.search(r"`([^`]+)` finns inte", block.text)
        assert (suggestion is not None, typo is not None) == (True, True)
        assert suggestion is not None and typo is not None
        path = workdir / first["file"]
        lines = (ROOT / first["file"]).read_text(encoding="utf-8").splitlines(keepends=True)
        row, col = int(first["line"]) - 1, int(first["col"]) - 1
        right, wrong = suggestion.group(1), typo.group(1)
        assert lines[row][col : col + len(right)] == right
        lines[row] = lines[row][:col] + wrong + lines[row][col + len(right) :]
        path.write_text("".join(lines), encoding="utf-8")
        try:
            done = subprocess.run(
                ["kprocess", "validate", first["file"]],
                cwd=workdir,
                env=environment(),
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            shutil.copy2(ROOT / first["file"], path)
        shown = done.stdout.splitlines()[: len(block.text.splitlines())]
        assert "\n".join(shown) + "\n" == block.text
    elif block.marker == "conditions":
        assert condition_problems(block.text) == []
    elif block.marker == "output":
        assert [block] == [b for b in OUTPUTS.values() if b == block]
    else:
        pytest.fail("a text block is a reported problem or is marked `<!-- conditions -->`")


def condition_problems(text: str) -> list[str]:
    """Lines that are not in the condition language (unknown names are fine: no pack is given)."""
    from kprocess.conditions import ConditionError, compile_condition
    from kprocess.pack import load_pack

    catalog = load_pack(ROOT / "tests" / "data" / "minimal.yaml").catalog
    found = []
    for line in text.splitlines():
        condition = line.split("#")[0].strip()
        try:
            compile_condition(condition, catalog)
        except ConditionError as error:
            if error.code != "KP204":
                found.append(f"{condition}: {error}")
    return found


def test_output_check_reads_elisions_and_nothing_else() -> None:
    """A shown output matches line by line; `…` skips lines, never changes them."""
    assert prints("a\n…\nd\n", "a\nb\nc   \nd\n")
    assert prints("a\n…\nd\n", "a\nd\n")
    assert not prints("a\nd\n", "a\nb\nd\n")
    assert not prints("a\n…\n", "b\na\n")
    assert not prints("a (b)\n", "a b\n")


def test_fragment_check_finds_unknown_keys_and_wrong_values() -> None:
    """The fragment check is strict about everything except keys a fragment leaves out."""
    assert fragment_problems([{"id": "s1", "nxt": "s2"}]) != []
    assert fragment_problems({"decision": {"question": "q", "weight": "besluta"}}) != []
    assert fragment_problems([{"id": "s1", "next": "s2"}]) == []
