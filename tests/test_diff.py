"""`kprocess diff`: a change to a pack in meaning, golden cases it reroutes, git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kprocess.cli.app import app
from kprocess.cli.common import EXIT_USAGE, UsageError
from tests.conftest import ROOT

RUNNER = CliRunner()
MOVED_MANDATE = ("holder: socialnamnd", "holder: kommunal_forvaltning")
OLD_ROUTES = """    routes:
      - when: beror_kommunerna
        to: remiss_kommunala_natverk
"""
NEW_ROUTES = """    routes:
      - when: beror_kommunerna and kraver_politiskt_beslut
        to: remiss_sammanstalls
      - when: beror_kommunerna and not kraver_politiskt_beslut
        to: remiss_kommunala_natverk
"""
SENTENCES = [
    "  – Vägarna från steget `remiss_vof` har ändrats: med beror_kommunerna=ja, kraver_politiskt_beslut=ja går "
    "ärendet nu till `remiss_sammanstalls` i stället för `remiss_kommunala_natverk`.",
    "  – Mandatet i steget `kommun_beslut` har flyttats: med kraver_politiskt_beslut=ja beslutar nu Kommunens "
    "förvaltning (beslut) i stället för Socialnämnden (beslut).",
    "Testfall:",
    "  ! Testfallet 03_kommuner_politiskt_samverkansradet tar en annan väg i det nya paketet: efter `remiss_vof` går "
    "det nu till `remiss_sammanstalls` i stället för `remiss_kommunala_natverk`.",
    "  ! Testfallet 22_rmks_bereder_kommunerna tar en annan väg i det nya paketet: efter `remiss_vof` går det nu till "
    "`remiss_sammanstalls` i stället för `remiss_kommunala_natverk`.",
    "2 ändringar i betydelse, 2 testfall tar en annan väg eller kan inte köras.",
]


def invoke(*args: str) -> tuple[int, str]:
    result = RUNNER.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    if isinstance(result.exception, UsageError):
        return EXIT_USAGE, str(result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def change_orebro(text: str) -> str:
    """A moved mandate and a new route in Örebro's pack."""
    assert text.count(MOVED_MANDATE[0]) == 1 and text.count(OLD_ROUTES) == 1
    return text.replace(*MOVED_MANDATE).replace(OLD_ROUTES, NEW_ROUTES)


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the regions folder (packs and golden cases); the working directory."""
    shutil.copytree(ROOT / "regions", tmp_path / "regions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_real_change_in_one_sentence_per_change_with_rerouted_cases(copy: Path) -> None:
    new = copy / "orebro_ny.yaml"
    new.write_text(change_orebro((copy / "regions/orebro.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    code, out = invoke("diff", "regions/orebro.yaml", "orebro_ny.yaml")
    assert code == 0
    assert out.splitlines() == ["Örebro län: regions/orebro.yaml → orebro_ny.yaml", *SENTENCES]
    assert invoke("diff", "regions/orebro.yaml", "orebro_ny.yaml", "--fail-on-reroute")[0] == 1


def test_github_annotations_on_the_changed_lines(copy: Path) -> None:
    new = copy / "orebro_ny.yaml"
    text = change_orebro((copy / "regions/orebro.yaml").read_text(encoding="utf-8"))
    new.write_text(text, encoding="utf-8")
    code, out = invoke("diff", "regions/orebro.yaml", "orebro_ny.yaml", "--format", "github")
    lines = text.splitlines()
    annotations = [line for line in out.splitlines() if line.startswith("::warning file=orebro_ny.yaml,line=")]
    numbers = [int(a.split("line=")[1].split(",")[0]) for a in annotations]
    assert code == 0
    assert [lines[n - 1].strip() for n in numbers] == [
        "- when: beror_kommunerna and kraver_politiskt_beslut",
        "- when: kraver_politiskt_beslut",
    ]


def test_json_and_markdown(copy: Path) -> None:
    new = copy / "orebro_ny.yaml"
    new.write_text(change_orebro((copy / "regions/orebro.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    data = json.loads(invoke("diff", "regions/orebro.yaml", "orebro_ny.yaml", "-f", "json")[1])
    assert (data["schema"], [c["kind"] for c in data["changes"]]) == ("kprocess.diff/1", ["route", "mandate"])
    assert [(c["case"], c["kind"]) for c in data["cases"]] == [
        ("03_kommuner_politiskt_samverkansradet", "rerouted"),
        ("22_rmks_bereder_kommunerna", "rerouted"),
    ]
    markdown = invoke("diff", "regions/orebro.yaml", "orebro_ny.yaml", "-f", "markdown")[1].splitlines()
    assert markdown[:3] == [
        "### kprocess diff – Örebro län: regions/orebro.yaml → orebro_ny.yaml",
        "",
        "> [!WARNING]",
    ]


def test_git_revisions(copy: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=copy, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "regions")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "packs")
    pack = copy / "regions/orebro.yaml"
    pack.write_text(change_orebro(pack.read_text(encoding="utf-8")), encoding="utf-8")
    code, out = invoke("diff", "regions/orebro.yaml@HEAD", "regions/orebro.yaml")
    assert code == 0
    assert out.splitlines() == ["Örebro län: regions/orebro.yaml@HEAD → regions/orebro.yaml", *SENTENCES]
    assert invoke("diff", "regions/orebro.yaml@HEAD", "regions/orebro.yaml@HEAD")[1].splitlines()[-1] == (
        "Ingen ändring i betydelse."
    )
    code, message = invoke("diff", "regions/orebro.yaml@ingen", "regions/orebro.yaml")
    assert (code, message.split(":")[0]) == (EXIT_USAGE, "`regions/orebro.yaml@ingen` kan inte läsas ur git")


def test_fixture_rename_question_actor_and_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    old = (ROOT / "tests/data/minimal.yaml").read_text(encoding="utf-8")
    new = (
        old.replace("id: samordning", "id: samordna")
        .replace("next: samordning", "next: samordna")
        .replace("    default: nej\n", "    default: nej\n  - {id: extra, text: 'En ny fråga', type: yesno}\n", 1)
        .replace("    actor: vc\n", "    actor: ledning\n", 1)
        .replace("source: 001 steg 3", "source: 001 steg 3b")
    )
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    code, out = invoke("diff", "old.yaml", "new.yaml")
    assert (code, out.splitlines()) == (
        0,
        [
            "Testlän: old.yaml → new.yaml",
            "  – Ny fråga: `extra`.",
            "  – Steget `analys` hänvisar nu till `001 steg 3b` (förut `001 steg 3`).",
            "  – Steget `region_beslut` görs nu av Ledningsgrupp i stället för Verksamhetschef.",
            "  – Steget `samordning` heter nu `samordna`.",
            "4 ändringar i betydelse.",
        ],
    )


def test_documented_workflow_comments_on_a_changed_pack(copy: Path) -> None:
    """The diff step of the workflow in docs/ci.md, run in a repository with one pull-request commit."""
    import os
    import sys

    from tests.test_docs import BLOCKS, parse_yaml

    (block,) = [b for b in BLOCKS if b.marker == "github workflow: diff"]
    (job,) = parse_yaml(block.text, block.name)["jobs"].values()
    script = next(s["run"] for s in job["steps"] if "kprocess diff" in s.get("run", ""))
    author = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "regions"], [*author, "commit", "-q", "-m", "packs"]):
        subprocess.run(["git", *args], cwd=copy, check=True, capture_output=True)
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=copy, check=True, capture_output=True, text=True)
    pack = copy / "regions/orebro.yaml"
    pack.write_text(change_orebro(pack.read_text(encoding="utf-8")), encoding="utf-8")
    subprocess.run(["git", *author, "commit", "-q", "-am", "change"], cwd=copy, check=True, capture_output=True)
    env = dict(
        os.environ, BASE=base.stdout.strip(), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    )
    done = subprocess.run(["bash", "-c", script], cwd=copy, env=env, capture_output=True, text=True, check=False)
    comment = (copy / "comment.md").read_text(encoding="utf-8").splitlines()
    assert (done.returncode, comment[0]) == (
        0,
        f"### kprocess diff – Örebro län: regions/orebro.yaml@{env['BASE']} → regions/orebro.yaml",
    )
    assert next(line for line in done.stdout.splitlines() if line.startswith("::warning")).startswith(
        "::warning file=regions/orebro.yaml,line="
    )


CONSTRUCTS = (ROOT / "tests/data/constructs.yaml").read_text(encoding="utf-8")
SECTIONS = "".join(f"      - {{id: §{n}, title: Avsnitt {n}}}\n" for n in (1, 2, 3, 4, 5, 6, 8, 9))
BASE = CONSTRUCTS.replace("    title: Testrutin\n", "    title: Testrutin\n    sections:\n" + SECTIONS).replace(
    "flows:\n",
    "option_sets:\n  - {id: omraden, question: programomrade, options: [psykisk_halsa, primarvard]}\nflows:\n",
)
TANDVARD_STEP = """  - id: tandvard_beslutar
    name: Tandvårdens ledning beslutar
    phase: beslut
    actor: tandvard
    source: 001 §4
    decision: {question: tandvard_beslut, by: tandvard}
    next: besluten_samlas
"""
TANDVARD_BRANCH = "      - {to: tandvard_beslutar, when: beror_tandvarden}\n"


def edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def diff_lines(tmp_path: Path, old: str, new: str) -> list[str]:
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    code, out = invoke("diff", "old.yaml", "new.yaml")
    assert code == 0, out
    return out.splitlines()[1:]


def test_constructs_each_in_one_sentence_with_example_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new = edited(
        BASE,
        ("name: Testpaket för formatets konstruktioner", "name: Konstruktioner"),
        ("      - {id: §1, title: Avsnitt 1}\n", "      - {id: §1, title: Omfattning}\n"),
        ("      - {id: §8, title: Avsnitt 8}\n", "      - {id: §7, title: Avsnitt 7}\n"),
        ("options: [psykisk_halsa, primarvard]}", "options: [psykisk_halsa, tandvard]}"),
        ("derived: programomrade in ['psykisk_halsa', 'primarvard']", "derived: programomrade in ['psykisk_halsa']"),
        ("    jointly_with: [rss]\n    source: 001 §1", "    jointly_with: [rss, lpo]\n    source: 001 §1"),
        ("      when: lpo_tar_upp_igen\n", "      when: lpo_tar_upp_igen and styrgrupp_tillsatt\n"),
        ("      wait: {after_question: vantan_manader}", "      wait: {after: {months: 3}}"),
        ("      - when: styrgrupp_tillsatt\n", "      - when: styrgrupp_tillsatt and ny_lag\n"),
        ("when: beror_tandvarden}", "when: beror_tandvarden and beror_kommunerna}"),
        ("    end: ongoing", "    end: completed"),
    )
    assert diff_lines(tmp_path, BASE, new) == [
        "  – Paketets namn (`name`) är nu ”Konstruktioner” (förut ”Testpaket för formatets konstruktioner”).",
        "  – Avsnittet §1 i källdokument 001 heter nu ”Omfattning” (förut ”Avsnitt 1”).",
        "  – Källdokument 001 har ett nytt avsnitt §7 (”Avsnitt 7”).",
        "  – Avsnittet §8 i källdokument 001 är borttaget.",
        "  – Frågan `inom_omradet` härleds nu ur `programomrade in ['psykisk_halsa']` (förut `programomrade in "
        "['psykisk_halsa', 'primarvard']`): med programomrade=primarvard är svaret nu nej (förut ja).",
        "  – Alternativmängden `omraden` har nu också `tandvard` och inte längre `primarvard`: villkor på den gäller "
        "nu med programomrade=tandvard och inte längre med programomrade=primarvard.",
        "  – Steget `omfattning` görs nu tillsammans med RSS, LPO (förut RSS).",
        "  – Villkoret för att ta upp ett parkerat ärende i steget `parkerad` igen är nu `lpo_tar_upp_igen and "
        "styrgrupp_tillsatt` (förut `lpo_tar_upp_igen`): med lpo_tar_upp_igen=ja, styrgrupp_tillsatt=nej tas det "
        "inte längre upp.",
        "  – Väntetiden för ett parkerat ärende i steget `parkerad` är nu ”efter 3 mån” "
        "(förut ”efter vantan_manader”).",
        "  – Vem som gör steget `arbetsgrupp` har ändrats: med ny_lag=nej, styrgrupp_tillsatt=ja gör nu LPO det i "
        "stället för Styrgrupp tillsammans med Samordnare.",
        "  – Villkoret för grenen `tandvard_beslutar` från steget `beslut` är nu `beror_tandvarden and "
        "beror_kommunerna` (förut `beror_tandvarden`): med beror_tandvarden=ja, beror_kommunerna=nej startar "
        "grenen inte längre.",
        "  – Steget `arlig_uppfoljning` slutar nu flödet som slutfört (förut pågående).",
        "12 ändringar i betydelse.",
    ]


def test_pack_identity_call_hand_over_and_unconditional_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new = edited(
        BASE,
        ("id: konstruktioner", "id: konstruktioner2"),
        ("county: Testlän", "county: Provlän"),
        ("    call: ny_arbetsgrupp\n", ""),
        ("    handed_to: Kunskapsrådet\n", "    handed_to: Kunskapsrådet i länet\n"),
        ("      - ledning_beslutar\n", "      - {to: ledning_beslutar, when: not beror_tandvarden}\n"),
    )
    assert diff_lines(tmp_path, BASE, new) == [
        "  – Paketets id (`id`) är nu ”konstruktioner2” (förut ”konstruktioner”).",
        "  – Paketets län (`county`) är nu ”Provlän” (förut ”Testlän”).",
        "  – Steget `till_radet` lämnar nu över till Kunskapsrådet i länet (förut Kunskapsrådet).",
        "  – Steget `starta_lag` kör inte längre flödet `ny_arbetsgrupp`.",
        "  – Villkoret för grenen `ledning_beslutar` från steget `beslut` är nu `not beror_tandvarden` (förut alltid): "
        "med beror_tandvarden=ja startar grenen inte längre.",
        "5 ändringar i betydelse.",
    ]
    assert diff_lines(tmp_path, new, BASE)[3:5] == [
        "  – Steget `starta_lag` kör nu flödet `ny_arbetsgrupp` innan ärendet går vidare.",
        "  – Villkoret för grenen `ledning_beslutar` från steget `beslut` är nu alltid (förut `not beror_tandvarden`): "
        "med beror_tandvarden=ja startar grenen nu (förut inte).",
    ]


def test_parallel_branch_added_and_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fewer = edited(BASE, (TANDVARD_BRANCH, ""), (TANDVARD_STEP, ""))
    assert diff_lines(tmp_path, BASE, fewer) == [
        "  – Steget `tandvard_beslutar` (”Tandvårdens ledning beslutar”) är borttaget.",
        "  – Steget `beslut` startar inte längre grenen `tandvard_beslutar`.",
        "2 ändringar i betydelse.",
    ]
    assert diff_lines(tmp_path, fewer, BASE) == [
        "  – Steget `beslut` startar nu också grenen `tandvard_beslutar` när `beror_tandvarden`.",
        "  – Nytt steg `tandvard_beslutar` (”Tandvårdens ledning beslutar”) i fasen Beslut.",
        "2 ändringar i betydelse.",
    ]
