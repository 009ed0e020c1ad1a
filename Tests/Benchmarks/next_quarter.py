#!/usr/bin/env python3
"""Makes a plausible "next quarter" of a generated Part D release, for the diff benchmark.

Copies the plan information file and rewrites the basic drugs formulary file so that about
--fraction of the lines change the way quarters do: a tier moves, a PA/ST/QL flag flips (QL with
new limits), a drug leaves the formulary, or a new drug is added (synthetic RxCUIs 99xxxxxx,
appended at the end of its formulary's block). Deterministic for a given --seed.

usage: next_quarter.py IN_DIR OUT_DIR [--fraction 0.03] [--seed 7]
"""
import argparse
import os
import random
import shutil

BASIC = "basic drugs formulary file  PPUF_2026Q1.txt"
PLANS = "plan information  PPUF_2026Q1.txt"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--fraction", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    shutil.copyfile(os.path.join(args.source, PLANS), os.path.join(args.out, PLANS))
    added = 0
    with open(os.path.join(args.source, BASIC), "rb") as src, open(os.path.join(args.out, BASIC), "wb", buffering=1 << 22) as dst:
        dst.write(src.readline())
        current = None
        template = None
        for line in src:
            fields = line.rstrip(b"\r\n").split(b"|")
            if fields[0] != current:
                if template is not None and rng.random() < args.fraction * 20:
                    new = list(template)
                    new[3] = b"99%06d" % added
                    new[4] = b"99%09d" % added
                    added += 1
                    dst.write(b"|".join(new) + b"\r\n")
                current = fields[0]
            template = fields
            if rng.random() < args.fraction:
                kind = rng.random()
                if kind < 0.15:
                    continue  # the drug leaves the formulary
                if kind < 0.55:
                    fields[5] = str(rng.randint(1, 6)).encode()
                elif kind < 0.75:
                    fields[9] = b"N" if fields[9] == b"Y" else b"Y"
                elif kind < 0.9:
                    fields[10] = b"N" if fields[10] == b"Y" else b"Y"
                else:
                    fields[6], fields[7], fields[8] = b"Y", str(rng.choice([30, 60, 90])).encode(), b"30"
            dst.write(b"|".join(fields) + b"\r\n")
    print(f"{args.out}: next quarter written ({added} drugs added)")


if __name__ == "__main__":
    main()
