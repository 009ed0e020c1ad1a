#!/usr/bin/env python3
"""Generate a real-scale CMS QHP drugs.json and a matching plans.json for benchmarks.

Deterministic (seeded), Python standard library only, and fast: entry texts are built once per
(plan, tier, flags) and joined, so ~500 MB takes seconds, not minutes. The layout copies the CMS
example files (4-space indentation, one key per line), which is what makes a 1.5 M-entry file
weigh ~500 MB. Some of the quirks real files have are in there on purpose: `quantity_limit`
sometimes missing (unknown, not false), a null `rxnorm_id` now and then, escaped and non-ASCII
characters in a few drug names, `formulary` as an object for some plans, `years` as a string for some.

    python3 Tests/Benchmarks/gen_qhp.py --out Tests/Benchmarks/data/qhp            # ~500 MB
    python3 Tests/Benchmarks/gen_qhp.py --out /tmp/qhp-small --drugs 700 --entries 150000
"""

import argparse
import os
import random
import sys

TIERS = [
    ("GENERIC", 10.0, 0.0),
    ("PREFERRED-GENERIC", 5.0, 0.0),
    ("PREFERRED-BRAND", 40.0, 0.0),
    ("NON-PREFERRED-BRAND", 75.0, 0.0),
    ("SPECIALTY", 0.0, 0.3),
    ("ZERO-COST-SHARE-PREVENTIVE", 0.0, 0.0),
    ("MEDICAL-SERVICE", 0.0, 0.2),
    ("NON-PREFERRED-BRAND-SPECIALTY", 0.0, 0.5),
]
# How often each tier is a drug's base tier (generics dominate real formularies).
TIER_WEIGHTS = [40, 15, 12, 10, 8, 8, 4, 3]
PHARMACY_TYPES = ["1-MONTH-IN-RETAIL", "3-MONTH-IN-RETAIL", "1-MONTH-IN-MAIL", "3-MONTH-IN-MAIL", "1-MONTH-OUT-RETAIL"]
STATES = ["AK", "AZ", "FL", "GA", "IL", "IN", "MI", "NC", "OH", "TX", "VA", "WI"]
WORDS = ["Acetaminophen", "Bupropion", "Sertraline", "Esketamine", "Lithium", "Quetiapine", "Aripiprazole",
         "Vortioxetine", "Mirtazapine", "Venlafaxine", "Duloxetine", "Escitalopram", "Fluoxetine", "Olanzapine"]
FORMS = ["Oral Tablet", "Oral Capsule", "Extended Release Oral Tablet", "Nasal Spray", "Injectable Solution"]


def plan_ids(count):
    """Unique 14-character HIOS ids: 5-digit issuer, 2-letter state, 7 digits."""
    ids = []
    for i in range(count):
        issuer = 10000 + (i // 40) * 7 % 89999
        ids.append("%05d%s%07d" % (issuer, STATES[i % len(STATES)], 1000000 + i * 37 % 8999999))
    return ids


def bool_text(value):
    return "true" if value else "false"


def entry_text(plan_id, tier, pa, st, ql, year, indent):
    """One drugs.json plans[] element. ql None leaves quantity_limit out (the source did not say)."""
    if indent:
        pad, inner = " " * 12, " " * 16
        lines = [
            '"plan_id_type": "HIOS-PLAN-ID"',
            '"plan_id": "%s"' % plan_id,
            '"drug_tier": "%s"' % tier,
            '"prior_authorization": %s' % bool_text(pa),
            '"step_therapy": %s' % bool_text(st),
        ]
        if ql is not None:
            lines.append('"quantity_limit": %s' % bool_text(ql))
        lines.append('"years": [%d]' % year)
        return pad + "{\n" + ",\n".join(inner + line for line in lines) + "\n" + pad + "}"
    parts = ['"plan_id_type":"HIOS-PLAN-ID"', '"plan_id":"%s"' % plan_id, '"drug_tier":"%s"' % tier,
             '"prior_authorization":%s' % bool_text(pa), '"step_therapy":%s' % bool_text(st)]
    if ql is not None:
        parts.append('"quantity_limit":%s' % bool_text(ql))
    parts.append('"years":[%d]' % year)
    return "{" + ",".join(parts) + "}"


def drug_name(index, rng):
    # The index in the strength keeps names unique: a drug with a null rxnorm_id is known by its name.
    name = "%s %d MG %s" % (WORDS[index % len(WORDS)], 5 + index, FORMS[index % len(FORMS)])
    roll = rng.random()
    if roll < 0.01:
        name += ' [\\"Brand\\" \\u00e9dition]'  # JSON escapes, written raw
    elif roll < 0.02:
        name += " [Caf\u00e9]"  # non-ASCII UTF-8
    return name


def write_drugs(path, args, ids, rng):
    cache = {}
    indent = not args.compact
    per_drug = args.entries / args.drugs
    written = 0
    out = open(path, "w", encoding="utf-8", newline="\n")
    buffer = ["[\n" if indent else "["]
    size = 0
    for d in range(args.drugs):
        remaining_drugs = args.drugs - d
        target = (args.entries - written) / remaining_drugs
        k = max(1, min(len(ids), int(round(rng.uniform(0.5, 1.5) * target)))) if d < args.drugs - 1 else \
            max(1, min(len(ids), args.entries - written))
        chosen = sorted(rng.sample(range(len(ids)), k))
        base = rng.choices(range(len(TIERS)), TIER_WEIGHTS)[0]
        pa, st = rng.random() < 0.12, rng.random() < 0.08
        texts = []
        for p in chosen:
            tier = base if rng.random() < 0.9 else (base + 1) % len(TIERS)
            ql_roll = rng.random()
            ql = None if ql_roll < 0.2 else ql_roll < 0.45
            key = (p, tier, pa, st, ql)
            text = cache.get(key)
            if text is None:
                text = entry_text(ids[p], TIERS[tier][0], pa, st, ql, args.year, indent)
                cache[key] = text
            texts.append(text)
        written += k
        rxnorm = "null" if rng.random() < 0.01 else '"%d"' % (100000 + d * 13)
        name = drug_name(d, rng)
        if indent:
            head = '    {\n        "rxnorm_id": %s,\n        "drug_name": "%s",\n        "plans": [\n' % (rxnorm, name)
            block = head + ",\n".join(texts) + "\n        ]\n    }"
        else:
            block = '{"rxnorm_id":%s,"drug_name":"%s","plans":[' % (rxnorm, name) + ",".join(texts) + "]}"
        if d > 0:
            block = (",\n" if indent else ",") + block
        buffer.append(block)
        size += len(block)
        if size > 8 << 20:
            out.write("".join(buffer))
            buffer, size = [], 0
    buffer.append("\n]\n" if indent else "]\n")
    out.write("".join(buffer))
    out.close()
    return written


def write_plans(path, args, ids, rng):
    plans = []
    for i, plan_id in enumerate(ids):
        tiers = []
        for code, copay, coinsurance in TIERS:
            costs = []
            for pharmacy in PHARMACY_TYPES:
                months = 3 if pharmacy.startswith("3") else 1
                costs.append(
                    '                {"pharmacy_type": "%s", "copay_amount": %.2f, "copay_opt": "%s", '
                    '"coinsurance_rate": %s, "coinsurance_opt": %s}'
                    % (pharmacy, copay * months, "AFTER-DEDUCTIBLE" if copay else "NO-CHARGE",
                       ("%.2f" % coinsurance) if i % 10 else "%d" % round(coinsurance * 100),
                       '"AFTER-DEDUCTIBLE"' if coinsurance else "null"))
            tiers.append('            {\n                "drug_tier": "%s",\n                "mail_order": true,\n'
                         '                "cost_sharing": [\n%s\n                ]\n            }' % (code, ",\n".join(costs)))
        formulary = "[\n" + ",\n".join(tiers) + "\n        ]"
        years = '["%d"]' % args.year if i % 7 == 3 else "[%d]" % args.year
        plans.append(
            '    {\n        "plan_id_type": "HIOS-PLAN-ID",\n        "plan_id": "%s",\n'
            '        "marketing_name": "Benchmark %s Plan %d",\n        "summary_url": "https://example.org/%s",\n'
            '        "plan_contact": "plans@example.org",\n        "network": [{"network_tier": "PREFERRED"}],\n'
            '        "formulary": %s,\n        "last_updated_on": "2025-01-01",\n        "years": %s\n    }'
            % (plan_id, ["Gold", "Silver", "Bronze"][i % 3], i, plan_id, formulary, years))
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("[\n" + ",\n".join(plans) + "\n]\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to write drugs.json and plans.json into")
    parser.add_argument("--drugs", type=int, default=7000)
    parser.add_argument("--entries", type=int, default=1_500_000, help="drug-plan entries in total")
    parser.add_argument("--plans", type=int, default=400, help="plan ids in plans.json")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--compact", action="store_true", help="no indentation (about 45%% smaller)")
    args = parser.parse_args()
    if args.drugs < 1 or args.entries < args.drugs or args.plans < 1:
        parser.error("need --drugs >= 1, --entries >= --drugs and --plans >= 1")
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    ids = plan_ids(args.plans)
    write_plans(os.path.join(args.out, "plans.json"), args, ids, rng)
    entries = write_drugs(os.path.join(args.out, "drugs.json"), args, ids, rng)
    size = os.path.getsize(os.path.join(args.out, "drugs.json"))
    print("wrote %s: %d drugs, %d entries, drugs.json %.1f MB" % (args.out, args.drugs, entries, size / 1e6),
          file=sys.stderr)


if __name__ == "__main__":
    main()
