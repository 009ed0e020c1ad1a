#!/usr/bin/env python3
"""Generates a real-scale synthetic CMS Part D "basic drugs formulary file" plus a matching small
"plan information" file, for the import benchmark (Tests/Benchmarks/partd.sh).

Layout is exactly the quarterly SPUF one (shared/reference/FORMATS.md section 1): the real file
names with their double spaces, '|' delimiters, a header row, CRLF line ends, no quoting, a single
space for a missing value, ids as zero-padded text; 12 columns in the formulary file (with
SELECTED_DRUG_YN); the plan file in Windows-1252. Rows are sorted by FORMULARY_ID, then RXCUI.

Scale: the default is 400 formularies x ~3,800 RxCUIs each (~1.52 M rows, ~78 MB), drawn from a
pool of ~6,000 drugs (real 2025-2026 files: ~384 formularies, ~1.1-1.3 M rows, ~6,000 RxCUIs).
--scale N multiplies the number of formularies (--scale 10: ~15 M rows, ~780 MB).

Codes: the RxCUIs are SYNTHETIC, 8 digits from 90000000 up, a range no real RxCUI uses (real ones
have at most 7 digits), so nobody can mistake them for drug codes. NDCs are synthetic too:
11 digits, one proxy NDC per RxCUI. Nothing here is meant to be looked up.

Deterministic: the same --seed and sizes give byte-identical files. Standard library only.

    python3 Tests/Benchmarks/gen_partd.py OUT_DIR [--scale 10] [--seed 2026]
"""

import argparse
import json
import os
import random
import sys
import time

QUARTER = "2026Q1"
BASIC_NAME = f"basic drugs formulary file  PPUF_{QUARTER}.txt"
PLAN_NAME = f"plan information  PPUF_{QUARTER}.txt"
BASIC_HEADER = ("FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|"
                "QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN")
PLAN_HEADER = ("CONTRACT_ID|PLAN_ID|SEGMENT_ID|CONTRACT_NAME|PLAN_NAME|FORMULARY_ID|PREMIUM|DEDUCTIBLE|"
               "MA_REGION_CODE|PDP_REGION_CODE|STATE|COUNTY_CODE|SNP|PLAN_SUPPRESSED_YN")
EOL = "\r\n"
NULL = " "

VARIANTS = 16  # per drug, pre-rendered row tails; each formulary picks one per drug with 4 random bits
QL_CHOICES = [("30", "30"), ("60", "30"), ("90", "30"), ("120", "30"), ("1", "30"), ("2", "28"),
              ("4", "28"), ("28", "28"), ("180", "90"), ("270", "90"), ("8", "28"), ("5", "365")]
BASE_TIER_WEIGHTS = [(1, 22), (2, 30), (3, 16), (4, 22), (5, 9), (6, 1)]
STATES = ["AL", "AZ", "CA", "CO", "FL", "GA", "IL", "MI", "NC", "NY", "OH", "PA", "TX", "WA"]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def bundled_trd_drugs():
    """The real TRD RxCUIs (with their proxy NDCs) of the bundled sample release, for --trd."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "Formularies", "partd", "2026Q1", "basic drugs formulary file  PPUF_2026Q1.txt")
    pairs = {}
    with open(path, encoding="ascii") as fh:
        header = fh.readline().rstrip("\r\n").split("|")
        rx, ndc = header.index("RXCUI"), header.index("NDC")
        for line in fh:
            fields = line.rstrip("\r\n").split("|")
            pairs[int(fields[rx])] = fields[ndc]
    return sorted(pairs.items())


def make_drugs(rng, pool, trd=()):
    """The drug universe: per drug its RXCUI, NDC, inclusion threshold and VARIANTS row tails
    (everything after CONTRACT_YEAR|), sorted by RXCUI. `trd` adds real (RxCUI, NDC) pairs that
    nearly every formulary lists, so the analysis benchmark finds its drugs."""
    rxcuis = sorted(rng.sample(range(90_000_000, 99_999_999), pool))
    ndcs = rng.sample(range(10**11), pool)  # uniform 11-digit numbers: many have leading zeros
    real = {rx: ndc for rx, ndc in trd}
    rxcuis = sorted(real) + rxcuis
    ndcs = [int(real[rx]) for rx in sorted(real)] + ndcs
    pool = len(rxcuis)
    selected = set(rng.sample(range(pool), min(10, pool)))  # a few "negotiated" drugs, SELECTED_DRUG_YN=Y
    drugs = []
    for i, rx in enumerate(rxcuis):
        ndc = "%011d" % ndcs[i]
        base = weighted(rng, BASE_TIER_WEIGHTS)
        brand = base >= 3
        p_ql = min(0.9, rng.betavariate(1.2, 6.8))         # mean ~0.15
        p_pa = min(0.9, rng.betavariate(1, 14 if not brand else 7))  # more PA on brands
        p_st = min(0.9, rng.betavariate(1, 40 if not brand else 12))
        ql_amount, ql_days = rng.choice(QL_CHOICES)
        sel = "Y" if i in selected else "N"
        tails = []
        for _ in range(VARIANTS):
            tier = base
            r = rng.random()
            if r < 0.15:
                tier = max(1, base - 1)
            elif r < 0.30:
                tier = min(6 if base >= 5 else 5, base + 1)
            if rng.random() < p_ql:
                ql = f"Y|{ql_amount}|{ql_days}"
            else:
                ql = f"N|{NULL}|{NULL}"
            pa = "Y" if rng.random() < p_pa else "N"
            st = "Y" if rng.random() < p_st else "N"
            tails.append(f"{rx}|{ndc}|{tier}|{ql}|{pa}|{st}|{sel}")
        # Inclusion probability: a few rare drugs, most common ones near-universal; mean ~0.633.
        popularity = 0.95 if rx in real else rng.betavariate(1.55, 0.9)
        drugs.append((min(256, int(popularity * 256 + 0.5)), tails))
    return drugs


def write_basic(path, rng, formulary_ids, drugs):
    """Writes the formulary file in one pass; returns the row count."""
    thresholds = [t for t, _ in drugs]
    tails = [v for _, v in drugs]
    n = len(drugs)
    rows = 0
    with open(path, "wb", buffering=0) as out:
        out.write((BASIC_HEADER + EOL).encode("ascii"))
        buf = []
        buffered = 0
        for fid in formulary_ids:
            version = rng.randint(1, 40)
            prefix = f"{fid}|{version}|2026|"
            rb = rng.randbytes(2 * n)
            picks = [t[v >> 4] for th, t, inc, v in zip(thresholds, tails, rb[:n], rb[n:]) if inc < th]
            rows += len(picks)
            if not picks:
                continue
            chunk = (prefix + (EOL + prefix).join(picks) + EOL).encode("ascii")
            buf.append(chunk)
            buffered += len(chunk)
            if buffered >= 8 << 20:
                out.write(b"".join(buf))
                buf, buffered = [], 0
        out.write(b"".join(buf))
    return rows


def write_plans(path, rng, formulary_ids):
    """About three plans per formulary: H plans over 1-4 counties and sometimes 2 segments, S (PDP) plans
    with a region, a few R plans, D-SNPs, a few suppressed. Returns (rows, plans)."""
    lines = [PLAN_HEADER]
    plans = 0
    contract_no = 0
    names = ["Sample Health", "Example Senior Care", "Synthetic Medicare Plans", "Salud Óptimo", "Demo Rx"]
    for fid in formulary_ids:
        contract_no += 1
        kind = weighted(rng, [("H", 70), ("S", 22), ("R", 8)])
        contract = f"{kind}{contract_no % 10000:04d}"
        contract_name = f"{rng.choice(names)} {contract} (Synthetic)"
        for plan_no in range(1, rng.randint(2, 4) + 1):
            plan = "%03d" % plan_no
            segments = ["000", "001"] if kind == "H" and rng.random() < 0.1 else ["000"]
            deductible = rng.choice([0, 0, 100, 250, 480, 615, 615])
            snp = "2" if kind == "H" and rng.random() < 0.15 else "0"
            suppressed = "Y" if rng.random() < 0.005 else "N"
            plan_name = f"{contract_name.split(' (')[0]} Plan {plan}" + (" (HMO D-SNP)" if snp == "2" else "")
            state = rng.choice(STATES)
            for seg in segments:
                plans += 1
                premium = "%.2f" % (rng.choice([0, 0, 0, 12.5, 29, 41.2, 79.9]) + (5 if seg == "001" else 0))
                common = [contract, plan, seg, contract_name, plan_name, fid, premium, str(deductible)]
                if kind == "S":
                    lines.append("|".join(common + [NULL, "%02d" % rng.randint(1, 34), NULL, NULL, "0", suppressed]))
                elif kind == "R":
                    lines.append("|".join(common + ["%02d" % rng.randint(1, 26), NULL, NULL, NULL, snp, suppressed]))
                else:
                    for county in sorted(rng.sample(range(10, 990, 10), rng.randint(1, 4))):
                        code = "%02d%03d" % (STATES.index(state) + 1, county)
                        lines.append("|".join(common + [NULL, NULL, state, code, snp, suppressed]))
    with open(path, "wb") as out:
        out.write((EOL.join(lines) + EOL).encode("cp1252"))
    return len(lines) - 1, plans


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output folder (created if missing)")
    ap.add_argument("--scale", type=int, default=1, help="multiply the number of formularies (default 1)")
    ap.add_argument("--formularies", type=int, default=400, help="formularies at scale 1 (default 400)")
    ap.add_argument("--rxcuis", type=int, default=3800, help="mean RxCUIs per formulary (default 3800)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--trd", action="store_true",
                    help="also list the bundled sample's real TRD RxCUIs in nearly every formulary (analysis benchmark)")
    args = ap.parse_args(argv)
    if args.scale < 1 or args.formularies < 1 or args.rxcuis < 1:
        ap.error("--scale, --formularies and --rxcuis must be positive")

    started = time.monotonic()
    os.makedirs(args.out, exist_ok=True)
    n_formularies = args.formularies * args.scale
    pool = round(args.rxcuis / 0.633)  # mean inclusion probability of make_drugs
    # Same ids at every scale for the first formularies; 8 digits with leading zeros.
    formulary_ids = ["%08d" % (26000 + 3 * i) for i in range(n_formularies)]

    drugs = make_drugs(random.Random(args.seed), pool, bundled_trd_drugs() if args.trd else ())
    basic_path = os.path.join(args.out, BASIC_NAME)
    rows = write_basic(basic_path, random.Random(args.seed + 1), formulary_ids, drugs)
    plan_rows, plans = write_plans(os.path.join(args.out, PLAN_NAME), random.Random(args.seed + 2), formulary_ids)
    seconds = time.monotonic() - started
    size = os.path.getsize(basic_path)

    manifest = {
        "basic_rows": rows, "basic_bytes": size, "formularies": n_formularies, "rxcui_pool": pool,
        "plan_rows": plan_rows, "plans": plans, "seed": args.seed, "scale": args.scale,
        "generator_seconds": round(seconds, 2),
    }
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)
        fh.write("\n")
    print(f"{args.out}: {rows:,} formulary rows ({size / 1e6:.0f} MB), {n_formularies} formularies, "
          f"{plans} plans in {plan_rows} rows; {seconds:.1f} s ({size / 1e6 / max(seconds, 1e-9):.0f} MB/s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
