"""`kprocess compare` in English: headings, rows, differences and assumptions (Swedish unchanged)."""

from __future__ import annotations

from tests.test_i18n import VN, cli

OREBRO = "regions/orebro.yaml"


def test_compare_structure_in_english() -> None:
    done = cli("--lang", "en", "compare", OREBRO, VN)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[:12] == [
        "Comparison of the packs as written",
        "Per phase: steps (and whether they have time rules), decision points, forums, mandates and steps per",
        "principal.",
        "",
        "                   Örebro                                   Västernorrland",
        "─" * 99,
        "Consultation       9 steps                                  13 steps",
        "                   2 decision points                        2 decision points",
        "                   7 forums, 1 mandate                      4 forums, 1 mandate",
        "National decision  –                                        2 steps",
        "                                                            0 decision points",
        "                                                            2 forums",
    ]
    assert (
        done.stdout.splitlines()[-1] == "Forums, mandates and time rules in words: --full; everything: --format json."
    )


def test_compare_case_in_english() -> None:
    done = cli("--lang", "en", "compare", OREBRO, VN, "--fact", "beror_kommunerna=nej")
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "Comparison of a case: beror_kommunerna=nej",
        "Per phase: who decides, number of decisions by number of principals; ● the municipalities take part.",
    ]
    assert lines[lines.index("Differences") :] == [
        "Differences",
        "  – The case ends differently: Örebro ongoing (continuous follow-up); Västernorrland handed over.",
        "  – The municipalities come in at different phases: Örebro Consultation; Västernorrland never.",
        "  – The case does not go through the same phases: Local preparation (only Örebro); Decisions (only",
        "    Örebro); Implementation (only Örebro); Follow-up (only Örebro).",
        "  – The number of decisions differs: Örebro 6; Västernorrland 1.",
        "  – The number of deciding principals differs: Örebro 2; Västernorrland 1.",
        "Assumed",
        "  – Shared questions the case leaves open, the same answer in every county: ryms_i_budget=ja.",
        "  – The counties' own questions, assumed for the straight way: Örebro 1; the packs' default answers:",
        "    Örebro 11 (see --full or --format json).",
    ]
    assert "Decisions in all   6 decisions                              1 decision" in lines


def test_compare_case_in_swedish_is_unchanged() -> None:
    done = cli("--lang", "sv", "compare", OREBRO, VN, "--fact", "beror_kommunerna=nej")
    lines = done.stdout.splitlines()
    assert lines[0] == "Jämförelse av ett ärende: beror_kommunerna=nej"
    assert lines[lines.index("Skillnader") + 1] == (
        "  – Ärendet slutar olika: Örebro pågående (fortlöpande uppföljning); Västernorrland överlämnat."
    )
    assert "Beslut totalt      6 beslut                                 1 beslut" in lines


def test_compare_full_table_and_usage_error_in_english() -> None:
    full = cli("--lang", "en", "compare", OREBRO, VN, "--fact", "beror_kommunerna=nej", "--format", "markdown")
    assert full.stdout.splitlines()[:5] == [
        "### Comparison of a case",
        "",
        "The case: beror_kommunerna=nej  ",
        "",
        "| Phase | Örebro | Västernorrland |",
    ]
    assert "**Differences**" in full.stdout.splitlines()
    alone = cli("--lang", "en", "compare", VN)
    assert (alone.returncode, alone.stderr) == (
        2,
        "kprocess: give at least two packs to compare, e.g. `kprocess compare regions/*.yaml`\n",
    )
