#!/usr/bin/env python3
"""Generate an RxNorm full release (RXNCONSO.RRF, RXNREL.RRF, RXNSAT.RRF) at full-release size, for
the RxNorm import benchmark (rxnorm.sh).

    python3 Tests/Benchmarks/gen_rxnorm.py OUT_DIR [--scale 1.0] [--seed 17]

Writes OUT_DIR/rrf/RXNCONSO.RRF (~1.1M atoms), RXNREL.RRF (~6.0M relations) and RXNSAT.RRF (~5.5M
attributes), about 1 GB together, and OUT_DIR/MANIFEST.json with the row counts and what an import
should keep. The layout is NLM's (`|`-delimited, a `|` after every field, no header, no quoting,
UTF-8, LF ends; columns as in /work/shared/reference/RXNORM.md §2). The mix follows a full release:
RxNorm's own concepts (IN, PIN, MIN, BN, SCDC, SCD, SBD, GPCK, BPCK, dose forms and groups) with
their synonyms (PSN, SY, TMSY) and ~18 % suppressed drugs; other sources' atoms (MTHSPL, NDDF,
VANDF, MMSL, GS, SNOMEDCT_US, DRUGBANK, ATC, USP, …) making up two thirds of RXNCONSO; RxNorm's
relation graph (every relation with its inverse) and a bulk of other sources' atom-level
relations in RXNREL; and in RXNSAT, RxNorm-normalized NDCs (SAB=RXNORM) beside other sources' NDCs
in source formats and the usual attribute noise (SPL_SET_ID, RXN_* attributes, DM_SPL_ID, …),
each concept's attributes together, in RXCUI order, as NLM writes it.

All codes are synthetic: RXCUIs and RXAUIs are 8-digit numbers from 90,000,000 up (real ones have
at most 7 digits), NDCs random 11-digit numbers. Deterministic for a seed; Python standard library only.
"""

import argparse
import json
import os
import random
import sys
import time

# Concepts per TTY at scale 1 (close to a 2025 full release's SAB=RXNORM counts).
CONCEPTS = [
    ("DF", 160), ("DFG", 50), ("IN", 14000), ("PIN", 4200), ("MIN", 5200), ("BN", 12500),
    ("SCDC", 31000), ("SBDC", 22000), ("SCDF", 16000), ("SBDF", 12500), ("SCDG", 10000), ("SBDG", 8500),
    ("SCD", 42000), ("SBD", 26000), ("GPCK", 650), ("BPCK", 520),
]
DRUGS = ("SCD", "SBD", "GPCK", "BPCK")
OTHER_SABS = ["MTHSPL", "NDDF", "VANDF", "MMSL", "GS", "SNOMEDCT_US", "DRUGBANK", "ATC", "USP", "MTHCMSFRF", "CVX", "MMX"]
OTHER_TTYS = ["SU", "CD", "BD", "AB", "CDC", "CDD", "BN", "IN", "PT", "FN", "MTH_RXN_CD", "PEP", "DP", "SCD"]
OTHER_RELAS = ["", "has_ingredient", "ingredient_of", "isa", "inverse_isa", "has_form", "form_of", "mapped_to", "mapped_from"]
OTHER_RELS = ["RO", "RB", "RN", "SY", "SIB", "RQ"]
RXN_RELAS_EXTRA = ["has_dose_form", "dose_form_of", "isa", "inverse_isa", "has_doseformgroup", "doseformgroup_of",
                   "reformulated_to", "reformulation_of", "has_quantified_form", "quantified_form_of"]
ATTRIBUTES = ["RXN_HUMAN_DRUG", "RXN_AVAILABLE_STRENGTH", "RXN_BN_CARDINALITY", "RXN_STRENGTH", "RXN_QUALITATIVE_DISTINCTION",
              "RXN_BOSS_STRENGTH_NUM_VALUE", "RXN_BOSS_STRENGTH_DENOM_UNIT", "RXN_ACTIVATED", "RXN_OBSOLETED", "RXTERM_FORM"]
OTHER_ATTRIBUTES = [("SPL_SET_ID", "MTHSPL"), ("DM_SPL_ID", "MTHSPL"), ("LABELER", "MTHSPL"), ("MARKETING_CATEGORY", "MTHSPL"),
                    ("NDC", "MTHSPL"), ("NDC", "NDDF"), ("NDC", "VANDF"), ("NDC", "MMSL"), ("VUID", "VANDF"), ("DCSA", "MTHSPL"),
                    ("ORIG_CODE", "USP"), ("AMBIGUITY_FLAG", "MTHSPL")]
WORDS = ["acetaminophen", "sertraline", "bupropion", "lithium", "quetiapine", "aripiprazole", "vortioxetine", "mirtazapine",
         "venlafaxine", "duloxetine", "escitalopram", "fluoxetine", "olanzapine", "paroxetine", "trazodone", "lamotrigine"]
FORMS = ["Oral Tablet", "Oral Capsule", "Extended Release Oral Tablet", "Nasal Spray", "Injectable Solution", "Oral Solution"]


class Writer:
    """A buffered text file that counts its lines."""

    def __init__(self, path):
        self.out = open(path, "w", encoding="utf-8", newline="\n")
        self.buffer = []
        self.rows = 0

    def add(self, line):
        self.buffer.append(line)
        if len(self.buffer) >= 65536:
            self.flush()

    def flush(self):
        self.rows += len(self.buffer)
        self.out.write("\n".join(self.buffer) + "\n")
        self.buffer = []

    def close(self):
        if self.buffer:
            self.flush()
        self.out.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count (default 1.0: full-release size)")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.time()
    folder = os.path.join(args.out, "rrf")
    os.makedirs(folder, exist_ok=True)

    # Concepts: RXCUI numbers in TTY blocks, shuffled so a file's RXCUI order mixes term types.
    concepts = []  # (rxcui, tty)
    by_tty = {}
    for tty, count in CONCEPTS:
        count = max(1, int(count * args.scale))
        by_tty[tty] = []
        for _ in range(count):
            concepts.append([0, tty])
    numbers = list(range(90000000, 90000000 + len(concepts) * 3, 3))
    rng.shuffle(numbers)
    for concept, number in zip(concepts, numbers):
        concept[0] = number
        by_tty[concept[1]].append(number)
    concepts.sort()
    tty_of = {rxcui: tty for rxcui, tty in concepts}
    suppressed = {rxcui for rxcui, tty in concepts if tty in DRUGS and rng.random() < 0.18}
    names = {}
    for index, (rxcui, tty) in enumerate(concepts):
        word = WORDS[index % len(WORDS)]
        if tty in ("IN", "PIN", "BN", "MIN", "DF", "DFG"):
            names[rxcui] = "%s %s %d" % (word, tty.lower(), index)
        else:
            names[rxcui] = "%s %d MG %s%s" % (word, 1 + index % 997, FORMS[index % len(FORMS)],
                                              " [Brand%d]" % index if tty in ("SBD", "BPCK", "SBDC", "SBDF", "SBDG") else "")
    # A few names with non-ASCII and quote characters, as real ones have (12" applicator, é).
    for rxcui in rng.sample(by_tty["SCD"], 200):
        names[rxcui] += ' 12" applicator, caf\u00e9'

    aui = [91000000]

    def next_aui():
        aui[0] += 1
        return aui[0]

    # RXNCONSO: RxNorm atoms and synonyms, then other sources' atoms until ~1.1M rows.
    target_conso = int(1_100_000 * args.scale)
    conso = Writer(os.path.join(folder, "RXNCONSO.RRF"))
    atoms_of = {}
    kept = 0
    for rxcui, tty in concepts:
        sup = "O" if rxcui in suppressed else "N"
        cvf = "" if sup == "O" else "4096"
        a = next_aui()
        atoms_of[rxcui] = a
        conso.add("%d|ENG||||||%d|%d|%d||RXNORM|%s|%d|%s||%s|%s|" % (rxcui, a, a, rxcui, tty, rxcui, names[rxcui], sup, cvf))
        if tty in ("IN", "PIN", "MIN", "SCDC", "SCD", "SBD", "GPCK", "BPCK", "BN"):
            kept += 1
        if tty in DRUGS:
            for syn, share in (("PSN", 0.6), ("SY", 0.5), ("TMSY", 0.4)):
                if rng.random() < share:
                    s = next_aui()
                    conso.add("%d|ENG||||||%d|%d|%d||RXNORM|%s|%d|%s %s||%s|%s|" % (rxcui, s, s, rxcui, syn, rxcui, names[rxcui], syn.lower(), sup, cvf))
    rxnorm_atoms = conso.rows + len(conso.buffer)
    other_atoms = []  # (rxcui, aui, sab) of other sources, for their relations and attributes
    remaining = target_conso - rxnorm_atoms
    cuis = [rxcui for rxcui, _ in concepts]
    for _ in range(max(0, remaining)):
        rxcui = rng.choice(cuis)
        sab = rng.choice(OTHER_SABS)
        a = next_aui()
        other_atoms.append((rxcui, a, sab))
    other_atoms.sort()
    for rxcui, a, sab in other_atoms:
        code = "%s%07d" % (sab[:2], a % 9999991)
        conso.add("%d|ENG|P|L%07d|PF|S%07d|Y|%d|%d|%s||%s|%s|%s|%s|0|N|4096|" % (
            rxcui, a % 9999991, a % 9999989, a, a, code, sab, OTHER_TTYS[a % len(OTHER_TTYS)], code, names[rxcui].upper()))
    conso.close()

    # RXNREL: RxNorm's graph with inverses, extra RxNorm relations, then other sources' relations.
    target_rel = int(6_000_000 * args.scale)
    rel = Writer(os.path.join(folder, "RXNREL.RRF"))
    rui = [92000000]

    def relation(source, rela, target, inverse, sab="RXNORM", stype="CUI", rel_code="RO", auis=None):
        # A row reads "RXCUI2 has RELA to RXCUI1"; every relation also appears inverted.
        a1, a2 = auis if auis else ("", "")
        for first, second, name, x1, x2 in ((target, source, rela, a1, a2), (source, target, inverse, a2, a1)):
            rui[0] += 1
            rel.add("%d|%s|%s|%s|%d|%s|%s|%s|R%08d||%s||%s|Y|N|%s|" % (
                first, x1, stype, rel_code, second, x2, stype, name, rui[0], sab, "" if sab == "RXNORM" else "0",
                "4096" if sab == "RXNORM" else ""))

    ins, pins, mins, bns = by_tty["IN"], by_tty["PIN"], by_tty["MIN"], by_tty["BN"]
    scdcs, scds, sbds, gpcks = by_tty["SCDC"], by_tty["SCD"], by_tty["SBD"], by_tty["GPCK"]
    dfs, scdfs = by_tty["DF"], by_tty["SCDF"]
    for pin in pins:
        relation(pin, "form_of", rng.choice(ins), "has_form")
    for bn in bns:
        relation(bn, "tradename_of", rng.choice(ins), "has_tradename")
    for m in mins:
        for part in rng.sample(ins, rng.choice((2, 2, 3))):
            relation(m, "has_part", part, "part_of")
    for scdc in scdcs:
        relation(scdc, "has_ingredient", rng.choice(ins), "ingredient_of")
        if rng.random() < 0.15:
            relation(scdc, "has_precise_ingredient", rng.choice(pins), "precise_ingredient_of")
    for scd in scds:
        for part in rng.sample(scdcs, rng.choice((1, 1, 1, 2, 3))):
            relation(scd, "consists_of", part, "constitutes")
        if rng.random() < 0.1:
            relation(scd, "has_ingredients", rng.choice(mins), "ingredients_of")
        relation(scd, "has_dose_form", rng.choice(dfs), "dose_form_of")
        relation(scd, "isa", rng.choice(scdfs), "inverse_isa")
    for sbd in sbds:
        relation(sbd, "tradename_of", rng.choice(scds), "has_tradename")
        relation(sbd, "has_ingredient", rng.choice(bns), "ingredient_of")
        relation(sbd, "consists_of", rng.choice(by_tty["SBDC"]), "constitutes")
        relation(sbd, "has_dose_form", rng.choice(dfs), "dose_form_of")
    for g in gpcks:
        for part in rng.sample(scds, rng.choice((2, 2, 3))):
            relation(g, "contains", part, "contained_in")
    for b in by_tty["BPCK"]:
        relation(b, "tradename_of", rng.choice(gpcks), "has_tradename")
        relation(b, "contains", rng.choice(sbds), "contained_in")
        relation(b, "has_ingredient", rng.choice(bns), "ingredient_of")
    # More RxNorm relations of kinds the importer does not follow, to ~1.4M RxNorm rows.
    while rel.rows + len(rel.buffer) < int(1_400_000 * args.scale):
        a, b = rng.choice(cuis), rng.choice(cuis)
        name = rng.choice(RXN_RELAS_EXTRA)
        relation(a, name, b, name + "_inverse")
    rxnorm_relations = rel.rows + len(rel.buffer)
    while rel.rows + len(rel.buffer) < target_rel:
        x, y = rng.choice(other_atoms), rng.choice(other_atoms)
        name = rng.choice(OTHER_RELAS)
        relation(x[0], name, y[0], name, sab=x[2], stype="AUI", rel_code=rng.choice(OTHER_RELS), auis=(str(y[1]), str(x[1])))
    rel.close()

    # RXNSAT: each concept's attributes together, in RXCUI order; RxNorm NDCs on the drugs.
    target_sat = int(5_500_000 * args.scale)
    sat = Writer(os.path.join(folder, "RXNSAT.RRF"))
    others_by_cui = {}
    for rxcui, a, sab in other_atoms:
        others_by_cui.setdefault(rxcui, []).append((a, sab))
    ndc_rows = 0
    ndc_current = 0
    used_ndcs = set()
    per_concept_noise = max(0.0, (target_sat - 600_000 * args.scale) / len(concepts))
    satui = [93000000]
    for rxcui, tty in concepts:
        a = atoms_of[rxcui]
        if tty in DRUGS:
            for _ in range(rng.choice((1, 2, 3, 4, 6, 8, 10, 12, 14))):
                ndc = "%011d" % rng.randrange(10**10, 10**11)
                if ndc in used_ndcs:
                    continue
                used_ndcs.add(ndc)
                sup = "O" if rxcui in suppressed or rng.random() < 0.2 else "N"
                sat.add("%d|||%d|AUI|%d|||NDC|RXNORM|%s|%s|%s|" % (rxcui, a, rxcui, ndc, sup, "4096" if sup == "N" else ""))
                ndc_rows += 1
                ndc_current += sup == "N"
        # Other attributes: RxNorm's own and other sources', in source formats.
        count = int(per_concept_noise) + (rng.random() < per_concept_noise % 1)
        others = others_by_cui.get(rxcui)
        for _ in range(count):
            satui[0] += 1
            if others and rng.random() < 0.7:
                oa, osab = rng.choice(others)
                atn, _ = rng.choice(OTHER_ATTRIBUTES)
                value = "%05d-%04d-%02d" % (rng.randrange(99999), rng.randrange(9999), rng.randrange(99)) if atn == "NDC" \
                    else "%08x-%04x-4%03x-a%03x-%012x" % (satui[0], oa % 65535, rxcui % 4095, a % 4095, satui[0] * 7919)
                sat.add("%d|||%d|AUI|%s|AT%08d||%s|%s|%s|N|4096|" % (rxcui, oa, "C%07d" % (oa % 9999991), satui[0], atn, osab, value))
            else:
                atn = rng.choice(ATTRIBUTES)
                sat.add("%d|||%d|AUI|%d|AT%08d||%s|RXNORM|%s|N|4096|" % (rxcui, a, rxcui, satui[0], atn, "US" if atn == "RXN_HUMAN_DRUG" else "%d MG" % (satui[0] % 500)))
    sat.close()

    manifest = {
        "RXNCONSO": conso.rows, "RXNREL": rel.rows, "RXNSAT": sat.rows,
        "rxnorm_atoms": rxnorm_atoms, "rxnorm_relations": rxnorm_relations,
        "kept_concepts": kept,
        "emitted_concepts": sum(len(by_tty[t]) for t in ("IN", "MIN", "SCD", "SBD", "GPCK", "BPCK")),
        "ndc_rows": ndc_rows, "ndc_current": ndc_current,
        "bytes": {name: os.path.getsize(os.path.join(folder, name + ".RRF")) for name in ("RXNCONSO", "RXNREL", "RXNSAT")},
        "seed": args.seed, "scale": args.scale, "seconds": round(time.time() - started, 1),
    }
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as out:
        json.dump(manifest, out, indent=2)
    print(json.dumps(manifest), file=sys.stderr)


if __name__ == "__main__":
    main()
