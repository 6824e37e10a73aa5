"""Extraction quality on the evaluation set: precision and recall per field, and page language accuracy.

The evaluation set (tests/curation/eval/<site>/) is fixture pages in seven languages written for this project,
each with `expected.json`: the values a curator reads on those pages, written before the extractor was run on
them. Run: .venv/bin/python benchmarks/extraction_quality.py [--misses] [--set DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from curation.quality import evaluate  # noqa: E402

TARGET = 0.85


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", type=Path, default=ROOT / "tests" / "curation" / "eval", help="Evaluation folder."
    )  # noqa: E501
    parser.add_argument("--misses", action="store_true", help="List every value that was missed or wrong.")
    args = parser.parse_args()
    report = evaluate(args.set)
    sites = sum(1 for p in args.set.iterdir() if (p / "expected.json").exists())
    print(f"{sites} sites, {report['pages']} pages")
    print(f"{'field':<24} {'precision':>9} {'recall':>7}   tp  fp  fn")
    below = []
    for name, f in report["fields"].items():
        flag = "" if f["precision"] >= TARGET and f["recall"] >= TARGET else "  < target"
        if flag:
            below.append(name)
        print(
            f"{name:<24} {f['precision']:>9.2f} {f['recall']:>7.2f} {f['tp']:>4} {f['fp']:>3} {f['fn']:>3}{flag}"
        )  # noqa: E501
    print(f"page language accuracy: {report['language_accuracy']:.1%}")
    if args.misses:
        print("\n".join(["", "misses:"] + report["misses"]))
    return 1 if below or report["language_accuracy"] < 0.98 else 0


if __name__ == "__main__":
    sys.exit(main())
