#!/usr/bin/env python3
"""Writes the bundled synthetic CMS Part D quarterly release, Formularies/partd/2026Q1/.

The data is invented (plans, tiers, UM flags, costs, NDCs), but every table has the exact
layout of a real quarterly SPUF release (see ../../../shared/reference/FORMATS.md section 1):
the real inner file names with their double spaces, '|' delimiters, a header row, CRLF line
ends, nulls as a single space, ids as zero-padded text, Windows-1252 for the plan information
table and ASCII for the rest.

Every RxCUI comes from rxnorm_subset.csv (../shared/reference/, copied into
Formularies/reference/); the script checks this, and that each one is a dispensable concept
(SCD, SBD or GPCK). NDCs are synthetic proxies: 11 digits, one per RxCUI, the same in every
formulary.

Python 3 standard library only. Usage:
    python3 Formularies/partd/make_sample.py            # (re)write Formularies/partd/2026Q1/
    python3 Formularies/partd/make_sample.py --check    # exit 1 if the committed files differ
    python3 Formularies/partd/make_sample.py --markdown # print the drug table used in the README
"""

import argparse
import csv
import os
import sys
from dataclasses import dataclass
from typing import Optional

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "2026Q1")
# The project's copy (Formularies/reference/) when present, else the shared reference beside the checkout.
RXNORM_CANDIDATES = [
    os.path.normpath(os.path.join(HERE, "..", "reference", "rxnorm_subset.csv")),
    os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "reference", "rxnorm_subset.csv")),
]
DEFAULT_RXNORM = next((p for p in RXNORM_CANDIDATES if os.path.exists(p)), RXNORM_CANDIDATES[-1])

QUARTER = "2026Q1"
CONTRACT_YEAR = "2026"
NULL = " "  # CMS writes a missing value as a single space
EOL = "\r\n"

# ---------------------------------------------------------------------------------------------
# Drugs: group -> RxCUIs (all from rxnorm_subset.csv). The group names are used only here.
# ---------------------------------------------------------------------------------------------

DRUG_GROUPS = [
    ("sertraline", ["312940", "312941", "312938"]),
    ("zoloft", ["208149"]),
    ("escitalopram", ["351249", "349332", "351250"]),
    ("lexapro", ["352272"]),
    ("citalopram", ["283672", "200371", "309314"]),
    ("fluoxetine", ["310384", "310385", "313989"]),
    ("fluoxetine_tab", ["248642"]),
    ("fluoxetine_weekly", ["313995"]),
    ("paroxetine", ["1738483", "1738495", "1738503", "1738511"]),
    ("paroxetine_er", ["1738803", "1738805"]),
    ("fluvoxamine", ["903891", "903884"]),
    ("venlafaxine_er_cap", ["313583", "313585", "313581"]),
    ("venlafaxine_ir", ["313586"]),
    ("venlafaxine_er_tab", ["808753"]),
    ("desvenlafaxine", ["790288", "790264"]),
    ("duloxetine", ["596926", "596930", "596934"]),
    ("bupropion_ir", ["993691", "993687"]),
    ("bupropion_sr", ["993503", "993518", "993536"]),
    ("bupropion_xl", ["993541", "993557", "1232585"]),
    ("wellbutrin_xl", ["993545", "993564"]),
    ("mirtazapine", ["476809", "311725", "314111", "311726"]),
    ("mirtazapine_odt", ["283406"]),
    ("trazodone", ["856377", "856373", "856364", "856369"]),
    ("vilazodone", ["1086772", "1086778", "1086784"]),
    ("trintellix", ["1790892", "1790886", "1790890", "1439840"]),
    ("fetzima", ["1433227", "1433233", "1433239", "1433217"]),
    ("fetzima_pack", ["1433249"]),
    ("nortriptyline", ["198045", "317136", "198046", "198047"]),
    ("amitriptyline", ["856783", "856834", "856845", "856762"]),
    ("phenelzine", ["312347"]),
    ("nardil", ["104836"]),
    ("tranylcypromine", ["313447"]),
    ("parnate", ["104838"]),
    ("emsam", ["865206", "865210", "865214"]),
    ("aripiprazole", ["602964", "402131", "349545", "349490"]),
    ("abilify", ["352307"]),
    ("rexulti", ["1658327", "1658331", "1658335", "1658339"]),
    ("vraylar", ["1667660", "1667668", "1667672"]),
    ("quetiapine", ["312744", "312743", "317174"]),
    ("quetiapine_xr", ["853201", "895670", "721794"]),
    ("seroquel_xr", ["721795"]),
    ("olanzapine_fluoxetine", ["721787", "403969", "403970"]),
    ("symbyax", ["725080"]),
    ("lithium", ["197889", "197890"]),
    ("lithium_er", ["197891"]),
    ("lithobid", ["206786"]),
    ("liothyronine", ["903456", "903697", "903703"]),
    ("auvelity", ["2611260"]),
    ("levetiracetam", ["311289", "311290", "387003"]),
]
GROUP_OF = {rx: group for group, rxcuis in DRUG_GROUPS for rx in rxcuis}

# Medicare-negotiated ("selected") drugs. Synthetic choice: cariprazine (Vraylar) is on CMS's
# second negotiation list, whose prices start in 2027, not 2026; it is flagged here only so the
# sample exercises SELECTED_DRUG_YN=Y.
SELECTED_GROUPS = {"vraylar"}

# Proxy NDCs: synthetic labeler 09990 (keeps a leading zero), product = position, package 01.
ALL_RXCUIS = sorted(GROUP_OF, key=int)
NDC_OF = {rx: "09990%04d01" % (i + 1) for i, rx in enumerate(ALL_RXCUIS)}


@dataclass(frozen=True)
class Line:
    """One formulary line: tier plus UM. ql is (amount, days) or None."""
    tier: int
    pa: bool = False
    st: bool = False
    ql: Optional[tuple] = None


@dataclass
class Formulary:
    id: str
    version: str
    groups: dict  # group -> Line; groups not listed are not on the formulary
    overrides: dict  # rxcui -> Line


def tiers(spec):
    """{tier: [group, ...]} -> {group: Line(tier)}."""
    return {g: Line(t) for t, groups in spec.items() for g in groups}


# 00026901 = DOMAIN.md section 5.0 "Reference Formulary M" (MA-PD). Only the UM lines of that
# table carry flags: Trintellix ST-2G + QL 1/day, Rexulti PA-SGA, Auvelity ST-BUP+SSRI + QL 2/day
# (all T3), citalopram QL. Generics T1/T2. Spravato, TMS and ECT are Part B: no rows.
FORMULARY_M = Formulary(
    id="00026901", version="17",
    groups={
        **tiers({
            1: ["sertraline", "escitalopram", "citalopram", "fluoxetine", "paroxetine", "bupropion_ir",
                "bupropion_sr", "bupropion_xl", "mirtazapine", "trazodone", "venlafaxine_er_cap",
                "venlafaxine_ir", "nortriptyline", "amitriptyline", "lithium", "aripiprazole", "quetiapine"],
            2: ["fluoxetine_tab", "fluoxetine_weekly", "paroxetine_er", "fluvoxamine", "venlafaxine_er_tab",
                "desvenlafaxine", "duloxetine", "mirtazapine_odt", "vilazodone", "phenelzine",
                "tranylcypromine", "quetiapine_xr", "olanzapine_fluoxetine", "lithium_er", "liothyronine",
                "levetiracetam"],
            4: ["fetzima", "fetzima_pack", "wellbutrin_xl", "zoloft", "lexapro", "abilify", "seroquel_xr",
                "symbyax", "nardil", "parnate", "lithobid", "vraylar"],
            5: ["emsam"],
        }),
        "trintellix": Line(3, st=True, ql=("30", "30")),
        "rexulti": Line(3, pa=True),
        "auvelity": Line(3, st=True, ql=("60", "30")),
    },
    overrides={
        "283672": Line(1, ql=("60", "30")),  # citalopram 10 mg: 2/day (20 mg/day)
        "200371": Line(1, ql=("30", "30")),  # citalopram 20 mg: 1/day
        "309314": Line(1, ql=("30", "30")),  # citalopram 40 mg: 1/day
    },
)

# 00026902: a basic PDP formulary. Most generics on T2, brands with generics left off.
FORMULARY_PDP = Formulary(
    id="00026902", version="12",
    groups={
        **tiers({
            1: ["sertraline", "escitalopram", "citalopram", "fluoxetine", "trazodone", "mirtazapine",
                "bupropion_ir", "bupropion_sr", "bupropion_xl", "lithium"],
            2: ["paroxetine", "paroxetine_er", "fluoxetine_tab", "fluvoxamine", "venlafaxine_er_cap",
                "venlafaxine_ir", "desvenlafaxine", "duloxetine", "nortriptyline", "amitriptyline",
                "phenelzine", "tranylcypromine", "aripiprazole", "quetiapine", "olanzapine_fluoxetine",
                "lithium_er", "liothyronine", "levetiracetam", "mirtazapine_odt"],
            4: ["venlafaxine_er_tab", "fluoxetine_weekly"],
        }),
        "quetiapine_xr": Line(2, ql=("30", "30")),
        "vilazodone": Line(3, st=True),
        "trintellix": Line(3, st=True, ql=("30", "30")),
        "fetzima": Line(4, st=True),
        "wellbutrin_xl": Line(4, pa=True),
        "rexulti": Line(4, pa=True, ql=("30", "30")),
        "vraylar": Line(4, pa=True),
        "auvelity": Line(4, pa=True, st=True, ql=("60", "30")),
        "emsam": Line(5, pa=True, ql=("30", "30")),
    },
    overrides={
        "309314": Line(1, ql=("30", "30")),   # citalopram 40 mg
        "1232585": Line(1, ql=("30", "30")),  # bupropion XL 450 mg
        "596934": Line(2, ql=("60", "30")),   # duloxetine 60 mg
    },
)

# 00026903: an enhanced formulary (more generics on T1, brands on T3, lighter UM).
FORMULARY_ENH = Formulary(
    id="00026903", version="21",
    groups={
        **tiers({
            1: ["sertraline", "escitalopram", "citalopram", "fluoxetine", "fluoxetine_tab", "paroxetine",
                "trazodone", "mirtazapine", "mirtazapine_odt", "bupropion_ir", "bupropion_sr", "bupropion_xl",
                "venlafaxine_er_cap", "venlafaxine_ir", "duloxetine", "desvenlafaxine", "nortriptyline",
                "amitriptyline", "lithium", "lithium_er", "aripiprazole", "quetiapine"],
            2: ["paroxetine_er", "fluvoxamine", "fluoxetine_weekly", "venlafaxine_er_tab", "vilazodone",
                "phenelzine", "tranylcypromine", "quetiapine_xr", "olanzapine_fluoxetine", "liothyronine",
                "levetiracetam"],
            3: ["fetzima", "fetzima_pack"],
            4: ["zoloft", "lexapro", "abilify", "seroquel_xr", "symbyax", "lithobid", "nardil", "parnate"],
        }),
        "trintellix": Line(3, ql=("30", "30")),
        "rexulti": Line(3, pa=True),
        "vraylar": Line(3, pa=True),
        "auvelity": Line(3, st=True, ql=("60", "30")),
        "wellbutrin_xl": Line(4, pa=True),
        "emsam": Line(5, pa=True),
    },
    overrides={
        "309314": Line(1, ql=("30", "30")),  # citalopram 40 mg
    },
)

# 00026904: a D-SNP formulary (generics on T1; brands T3/T4 with more UM).
FORMULARY_SNP = Formulary(
    id="00026904", version="9",
    groups={
        **tiers({
            1: ["sertraline", "escitalopram", "citalopram", "fluoxetine", "fluoxetine_tab", "paroxetine",
                "paroxetine_er", "fluvoxamine", "trazodone", "mirtazapine", "bupropion_ir", "bupropion_sr",
                "bupropion_xl", "venlafaxine_er_cap", "venlafaxine_ir", "desvenlafaxine", "duloxetine",
                "nortriptyline", "phenelzine", "tranylcypromine", "lithium", "lithium_er", "aripiprazole",
                "quetiapine", "levetiracetam", "liothyronine"],
            2: ["quetiapine_xr", "olanzapine_fluoxetine", "mirtazapine_odt"],
            4: ["abilify", "seroquel_xr"],
        }),
        "amitriptyline": Line(1, pa=True),  # high-risk-medication edit modelled as PA
        "vilazodone": Line(2, st=True),
        "venlafaxine_er_tab": Line(2, pa=True),
        "rexulti": Line(3, pa=True),
        "vraylar": Line(3, pa=True),
        "trintellix": Line(4, st=True, ql=("30", "30")),
        "fetzima": Line(4, st=True),
        "auvelity": Line(4, pa=True, st=True, ql=("60", "30")),
        "wellbutrin_xl": Line(4, pa=True),
        "emsam": Line(5, pa=True, ql=("30", "30")),
    },
    overrides={
        "309314": Line(1, ql=("30", "30")),  # citalopram 40 mg
        "856369": Line(1, ql=("60", "30")),  # trazodone 300 mg
    },
)

FORMULARIES = [FORMULARY_M, FORMULARY_PDP, FORMULARY_ENH, FORMULARY_SNP]

# ---------------------------------------------------------------------------------------------
# Plans. County codes are 5-digit SSA-style codes chosen for the sample, not checked against SSA.
# ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    contract: str
    plan: str
    segment: str
    contract_name: str
    plan_name: str
    formulary: str
    premium: str
    deductible: int
    ma_region: str = NULL
    pdp_region: str = NULL
    counties: tuple = ()  # (state, county_code) pairs; H plans have one row per county
    snp: str = "0"
    suppressed: bool = False

    @property
    def key(self):
        return (self.contract, self.plan, self.segment)


REF_CONTRACT = "Reference Health Medicare Advantage (Sample)"
SNP_CONTRACT = "Salud Óptimo Health Plan of Florida, Inc. (Synthetic Sample)"  # 60 chars, > 50 documented

PLANS = [
    Plan("H9990", "001", "000", REF_CONTRACT, "Reference MA-PD (HMO)", "00026901", "0.00", 0,
         counties=(("AZ", "03060"), ("AZ", "03070"))),
    Plan("H9990", "002", "000", REF_CONTRACT, "Reference MA-PD Plus (HMO-POS)", "00026901", "24.50", 250,
         counties=(("AZ", "03060"),)),
    Plan("S5990", "001", "000", "Sample National Rx Insurance Co. (Sample)", "Sample Rx Standard (PDP)",
         "00026902", "41.20", 615, pdp_region="07"),
    Plan("S5990", "002", "000", "Sample National Rx Insurance Co. (Sample)", "Sample Rx Enhanced (PDP)",
         "00026903", "86.70", 0, pdp_region="07"),
    Plan("R9993", "001", "000", "Regional Medicare PPO Co. (Sample)", "Regional Choice (Regional PPO)",
         "00026902", "15.00", 300, ma_region="11"),
    Plan("H9991", "002", "000", "Valley Senior Health Plan (Sample)", "Valley Choice (HMO)", "00026903",
         "0.00", 0, counties=(("TX", "45210"), ("TX", "45570"), ("TX", "45800"))),
    Plan("H9991", "002", "001", "Valley Senior Health Plan (Sample)", "Valley Choice (HMO)", "00026903",
         "19.00", 0, counties=(("TX", "45610"), ("TX", "45910"))),
    Plan("H9992", "003", "000", SNP_CONTRACT, "Óptimo Dual Advantage (HMO D-SNP)", "00026904", "0.00", 615,
         counties=(("FL", "10060"), ("FL", "10130")), snp="2"),
    Plan("H9994", "001", "000", "Sunset Senior Health (Sample)", "Sunset Classic (HMO)", "00026904", "32.00", 615,
         counties=(("FL", "10130"),), suppressed=True),
]
ACTIVE = [p for p in PLANS if not p.suppressed]

# ---------------------------------------------------------------------------------------------
# Cost sharing. A channel value is ("copay", dollars), ("coins", fraction) or None (not offered).
# Channels: preferred retail, standard retail, preferred mail, standard mail.
# ---------------------------------------------------------------------------------------------


def cp(amount):
    return ("copay", amount)


def co(fraction):
    return ("coins", fraction)


@dataclass
class TierCost:
    channels: tuple  # 4 channel values for a 30-day supply
    ded_applies: bool
    clamp: tuple = (0, 0)  # (min, max) dollars for coinsurance


# plan key -> {tier: TierCost}
BENEFITS = {
    ("H9990", "001", "000"): {  # $0 deductible; 33% specialty allowed with a reduced deductible
        1: TierCost((cp(0), cp(5), cp(0), cp(10)), False),
        2: TierCost((cp(5), cp(12), cp(5), cp(24)), False),
        3: TierCost((cp(47), cp(47), cp(47), cp(47)), False),
        4: TierCost((co(0.40), co(0.45), co(0.40), co(0.45)), False),
        5: TierCost((co(0.33), co(0.33), co(0.33), co(0.33)), False),
    },
    ("H9990", "002", "000"): {  # $250 deductible on tiers 3-5
        1: TierCost((cp(0), cp(3), cp(0), cp(9)), False),
        2: TierCost((cp(4), cp(10), cp(4), cp(20)), False),
        3: TierCost((cp(42), cp(45), cp(42), cp(45)), True),
        4: TierCost((co(0.35), co(0.40), co(0.35), co(0.40)), True),
        5: TierCost((co(0.28), co(0.28), co(0.28), co(0.28)), True),
    },
    ("S5990", "001", "000"): {  # defined-standard-like: $615 deductible on every tier, 25%
        t: TierCost((co(0.25), co(0.25), co(0.25), co(0.25)), True) for t in range(1, 6)
    },
    ("S5990", "002", "000"): {  # enhanced, $0 deductible
        1: TierCost((cp(0), cp(2), cp(0), cp(6)), False),
        2: TierCost((cp(2), cp(8), cp(0), cp(16)), False),
        3: TierCost((cp(40), cp(47), cp(40), cp(47)), False),
        4: TierCost((co(0.38), co(0.45), co(0.38), co(0.45)), False),
        5: TierCost((co(0.30), co(0.30), co(0.30), co(0.30)), False),
    },
    ("R9993", "001", "000"): {  # $300 deductible on tiers 3-5; tier-4 coinsurance clamped $10-$100
        1: TierCost((cp(3), cp(8), cp(3), cp(8)), False),
        2: TierCost((cp(10), cp(15), cp(10), cp(15)), False),
        3: TierCost((cp(45), cp(47), cp(45), cp(47)), True),
        4: TierCost((co(0.40), co(0.45), co(0.40), co(0.45)), True, clamp=(10, 100)),
        5: TierCost((co(0.25), co(0.25), co(0.25), co(0.25)), True),
    },
    ("H9991", "002", "000"): {  # no preferred mail
        1: TierCost((cp(0), cp(5), None, cp(10)), False),
        2: TierCost((cp(8), cp(15), None, cp(30)), False),
        3: TierCost((cp(47), cp(47), None, cp(47)), False),
        4: TierCost((co(0.45), co(0.50), None, co(0.50)), False),
        5: TierCost((co(0.33), co(0.33), None, co(0.33)), False),
    },
    ("H9991", "002", "001"): {  # same plan, other segment: slightly different copays
        1: TierCost((cp(0), cp(5), None, cp(10)), False),
        2: TierCost((cp(6), cp(12), None, cp(24)), False),
        3: TierCost((cp(45), cp(47), None, cp(47)), False),
        4: TierCost((co(0.45), co(0.50), None, co(0.50)), False),
        5: TierCost((co(0.33), co(0.33), None, co(0.33)), False),
    },
    ("H9992", "003", "000"): {  # D-SNP: no preferred network; $615 deductible except tier 1
        1: TierCost((None, cp(0), None, cp(0)), False),
        2: TierCost((None, co(0.25), None, co(0.25)), True),
        3: TierCost((None, co(0.25), None, co(0.25)), True),
        4: TierCost((None, co(0.25), None, co(0.25)), True),
        5: TierCost((None, co(0.25), None, co(0.25)), True),
    },
}

# Insulin ($35/month cap): plan key -> [(tier, days_supply_code, copay per channel)]; None = not
# offered at that channel. TIER '.' = every tier (defined-standard style).
INSULIN = {
    ("H9990", "001", "000"): [("3", "1", (0, 0, 0, 0)), ("3", "2", (0, 0, 0, 0))],
    ("H9990", "002", "000"): [("3", "1", (25, 25, 25, 25)), ("3", "2", (75, 75, 50, 75))],
    ("S5990", "001", "000"): [(".", "1", (35, 35, 35, 35)), (".", "4", (70, 70, 70, 70)),
                              (".", "2", (105, 105, 105, 105))],
    ("S5990", "002", "000"): [("3", "1", (35, 35, 35, 35)), ("3", "2", (105, 105, 70, 105))],
    ("R9993", "001", "000"): [("3", "1", (35, 35, 35, 35)), ("3", "2", (105, 105, 105, 105))],
    ("H9991", "002", "000"): [("3", "1", (35, 35, None, 35)), ("3", "2", (105, 105, None, 105))],
    ("H9991", "002", "001"): [("3", "1", (35, 35, None, 35)), ("3", "2", (105, 105, None, 105))],
    ("H9992", "003", "000"): [("3", "1", (None, 35, None, 35)), ("3", "2", (None, 105, None, 105))],
}

# Excluded drugs (enhanced plans only; keyed by contract + plan, so both H9991-002 segments).
# (contract, plan, rxcui, tier, ql_flag 0/1, ql_amount, ql_days, pa, st, capped)
EXCLUDED = [
    ("H9991", "002", "153008", "1", "0", NULL, NULL, "Y", "N", "N"),  # Advil 200 MG tablet (OTC)
    ("H9991", "002", "310965", "1", "1", "120", "30", "N", "N", "N"),  # ibuprofen 200 MG tablet (OTC)
    ("S5990", "002", "310965", "1", "1", "120", "30", "N", "N", "N"),
    ("S5990", "002", "1150284", "1", "0", NULL, NULL, "N", "N", "Y"),  # psyllium 525 MG capsule (OTC)
]

# Indication-based coverage: (contract, plan, rxcui, disease).
INDICATIONS = [
    ("H9991", "002", "1658335", "MAJOR DEPRESSIVE DISORDER"),  # brexpiprazole 2 MG
    ("H9991", "002", "1658335", "SCHIZOPHRENIA"),
    ("H9992", "003", "1658335", "DEPRESSIVE DISORDER, MAJOR"),
    ("S5990", "002", "1667660", "BIPOLAR I DISORDER"),  # cariprazine 1.5 MG
    ("S5990", "002", "1667660", "DEPRESSIVE DISORDER, MAJOR"),
    ("S5990", "002", "1667660", "SCHIZOPHRENIA"),
]

# ---------------------------------------------------------------------------------------------
# Table writers
# ---------------------------------------------------------------------------------------------

FILES = {
    "plan": f"plan information  PPUF_{QUARTER}.txt",
    "basic": f"basic drugs formulary file  PPUF_{QUARTER}.txt",
    "cost": f"beneficiary cost file  PPUF_{QUARTER}.txt",
    "excluded": f"excluded drugs formulary file  PPUF_{QUARTER}.txt",
    "indication": f"Indication Based Coverage Formulary File  PPUF_{QUARTER}.txt",
    "insulin": f"insulin beneficiary cost file  PPUF_{QUARTER}.txt",
}

HEADERS = {
    "plan": "CONTRACT_ID|PLAN_ID|SEGMENT_ID|CONTRACT_NAME|PLAN_NAME|FORMULARY_ID|PREMIUM|DEDUCTIBLE|"
            "MA_REGION_CODE|PDP_REGION_CODE|STATE|COUNTY_CODE|SNP|PLAN_SUPPRESSED_YN",
    "basic": "FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|"
             "QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN",
    "cost": "CONTRACT_ID|PLAN_ID|SEGMENT_ID|COVERAGE_LEVEL|TIER|DAYS_SUPPLY|"
            "COST_TYPE_PREF|COST_AMT_PREF|COST_MIN_AMT_PREF|COST_MAX_AMT_PREF|"
            "COST_TYPE_NONPREF|COST_AMT_NONPREF|COST_MIN_AMT_NONPREF|COST_MAX_AMT_NONPREF|"
            "COST_TYPE_MAIL_PREF|COST_AMT_MAIL_PREF|COST_MIN_AMT_MAIL_PREF|COST_MAX_AMT_MAIL_PREF|"
            "COST_TYPE_MAIL_NONPREF|COST_AMT_MAIL_NONPREF|COST_MIN_AMT_MAIL_NONPREF|COST_MAX_AMT_MAIL_NONPREF|"
            "TIER_SPECIALTY_YN|DED_APPLIES_YN",
    "excluded": "CONTRACT_ID|PLAN_ID|RXCUI|TIER|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|"
                "PRIOR_AUTH_YN|STEP_THERAPY_YN|CAPPED_BENEFIT_YN",
    "indication": "CONTRACT_ID|PLAN_ID|RXCUI|DISEASE",
    "insulin": "CONTRACT_ID|PLAN_ID|SEGMENT_ID|TIER|DAYS_SUPPLY|copay_amt_pref_insln|copay_amt_nonpref_insln|"
               "copay_amt_mail_pref_insln|copay_amt_mail_nonpref_insln|coin_amt_pref_insln|coin_amt_nonpref_insln|"
               "coin_amt_mail_pref_insln|coin_amt_mail_nonpref_insln",
}


def yn(flag):
    return "Y" if flag else "N"


def money(x):
    return "%.2f" % x


def plan_rows():
    for p in PLANS:
        places = p.counties or ((NULL, NULL),)
        for state, county in places:
            yield [p.contract, p.plan, p.segment, p.contract_name, p.plan_name, p.formulary, p.premium,
                   str(p.deductible), p.ma_region, p.pdp_region, state, county, p.snp, yn(p.suppressed)]


def basic_rows():
    for f in sorted(FORMULARIES, key=lambda f: f.id):
        for rx in ALL_RXCUIS:
            line = f.overrides.get(rx) or f.groups.get(GROUP_OF[rx])
            if line is None:
                continue
            amount, days = line.ql if line.ql else (NULL, NULL)
            yield [f.id, f.version, CONTRACT_YEAR, rx, NDC_OF[rx], str(line.tier), yn(line.ql), amount, days,
                   yn(line.pa), yn(line.st), yn(GROUP_OF[rx] in SELECTED_GROUPS)]


def channel_cells(value, days_code, channel, level, clamp):
    """COST_TYPE, COST_AMT, COST_MIN_AMT, COST_MAX_AMT for one channel."""
    if value is None:
        return ["0", money(0), money(0), money(0)]
    kind, amount = value
    if level == "3":  # catastrophic: $0 in 2026
        return ["1", money(0), money(0), money(0)]
    if kind == "coins":
        return ["2", "%.2f" % amount, money(clamp[0]), money(clamp[1])]
    if days_code == "2":  # 90 days: 3x at retail and standard mail, 2x at preferred mail
        amount = amount * (2 if channel == 2 else 3)
    return ["1", money(amount), money(0), money(0)]


def cost_rows():
    for p in ACTIVE:
        for level in ("0", "1", "3"):
            for tier, tc in sorted(BENEFITS[p.key].items()):
                if level == "0" and (p.deductible == 0 or tc.ded_applies):
                    continue  # no pre-deductible row: no deductible, or it applies to this tier
                for days in ("1", "2"):
                    row = [p.contract, p.plan, p.segment, level, str(tier), days]
                    specialty = tier == 5
                    for ch, value in enumerate(tc.channels):
                        if specialty and days == "2":
                            value = None  # specialty drugs: 30-day fills only
                        row += channel_cells(value, days, ch, level, tc.clamp)
                    row += [yn(specialty), yn(tc.ded_applies)]
                    yield row


def excluded_rows():
    for r in EXCLUDED:
        yield list(r)


def indication_rows():
    for r in INDICATIONS:
        yield list(r)


def insulin_rows():
    for p in ACTIVE:
        for tier, days, copays in INSULIN[p.key]:
            yield ([p.contract, p.plan, p.segment, tier, days]
                   + [NULL if c is None else money(c) for c in copays] + [NULL] * 4)


ROWS = {
    "plan": plan_rows, "basic": basic_rows, "cost": cost_rows,
    "excluded": excluded_rows, "indication": indication_rows, "insulin": insulin_rows,
}


def render(table):
    """The bytes of one table file."""
    header = HEADERS[table]
    ncols = header.count("|") + 1
    lines = [header]
    for row in ROWS[table]():
        assert len(row) == ncols, (table, row)
        assert all(cell != "" and "|" not in cell for cell in row), (table, row)
        lines.append("|".join(row))
    text = EOL.join(lines) + EOL
    return text.encode("cp1252" if table == "plan" else "ascii")


# ---------------------------------------------------------------------------------------------
# Consistency checks
# ---------------------------------------------------------------------------------------------


def load_rxnorm(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["rxcui"]: r for r in csv.DictReader(fh)}


def verify(rxnorm):
    problems = []
    formulary_rx = {f.id: {r[3] for r in basic_rows() if r[0] == f.id} for f in FORMULARIES}
    used = set(ALL_RXCUIS) | {r[2] for r in EXCLUDED} | {r[2] for r in INDICATIONS}
    for rx in sorted(used, key=int):
        row = rxnorm.get(rx)
        if row is None:
            problems.append(f"RxCUI {rx} is not in rxnorm_subset.csv")
        elif row["tty"] not in ("SCD", "SBD", "GPCK", "BPCK"):
            problems.append(f"RxCUI {rx} is a {row['tty']}, not a dispensable concept")
    if len(set(NDC_OF.values())) != len(NDC_OF) or any(len(n) != 11 or not n.isdigit() for n in NDC_OF.values()):
        problems.append("NDCs must be 11 digits and unique per RxCUI")
    for f in FORMULARIES:
        unknown = (set(f.groups) - set(GROUP_OF.values())) | (set(f.overrides) - set(GROUP_OF))
        if unknown:
            problems.append(f"formulary {f.id} names unknown groups or RxCUIs: {sorted(unknown)}")
    for p in PLANS:
        if p.formulary not in formulary_rx:
            problems.append(f"plan {p.key} uses unknown formulary {p.formulary}")
        if not p.suppressed and (p.key not in BENEFITS or p.key not in INSULIN):
            problems.append(f"plan {p.key} has no cost or insulin rows")
    by_contract_plan = {(p.contract, p.plan): p.formulary for p in ACTIVE}
    for contract, plan, rx, *_ in EXCLUDED + INDICATIONS:
        if (contract, plan) not in by_contract_plan:
            problems.append(f"{contract}-{plan} is not an active plan")
    for contract, plan, rx, _ in INDICATIONS:
        if rx not in formulary_rx.get(by_contract_plan.get((contract, plan)), ()):
            problems.append(f"indication row {contract}-{plan} {rx}: drug is not on that plan's formulary")
    for p in ACTIVE:
        used_tiers = {int(r[5]) for r in basic_rows() if r[0] == p.formulary}
        missing = used_tiers - set(BENEFITS[p.key])
        if missing:
            problems.append(f"plan {p.key} has no cost rows for tiers {sorted(missing)}")
    return problems


def markdown(rxnorm):
    """A Markdown table of every drug row: RxCUI, name, confirmed, NDC, tier/UM per formulary."""
    ids = [f.id for f in FORMULARIES]
    cells = {(r[0], r[3]): r for r in basic_rows()}
    out = ["| RxCUI | TTY | name (rxnorm_subset.csv) | lineages (confirmed) | proxy NDC | " + " | ".join(ids) + " |",
           "|---|---|---|---|---|" + "---|" * len(ids)]
    for group, rxcuis in DRUG_GROUPS:
        for rx in rxcuis:
            row = rxnorm.get(rx, {})
            per = []
            for fid in ids:
                r = cells.get((fid, rx))
                if r is None:
                    per.append("—")
                    continue
                um = [name for name, flag in (("PA", r[9]), ("ST", r[10])) if flag == "Y"]
                if r[6] == "Y":
                    um.append(f"QL {r[7]}/{r[8]}d")
                if r[11] == "Y":
                    um.append("selected")
                per.append(f"T{r[5]}" + (" " + ", ".join(um) if um else ""))
            seen = row.get("confirmed_by", "?").replace(";", ", ") + f" ({row.get('confirmed', '?')})"
            out.append(f"| {rx} | {row.get('tty', '?')} | {row.get('name', '?')} | {seen} | "
                       f"{NDC_OF[rx]} | " + " | ".join(per) + " |")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--rxnorm", default=DEFAULT_RXNORM, help="rxnorm_subset.csv used to check every RxCUI")
    ap.add_argument("--check", action="store_true", help="compare with the files in --out instead of writing")
    ap.add_argument("--markdown", action="store_true", help="print the drug table for the README and exit")
    args = ap.parse_args(argv)

    if not os.path.exists(args.rxnorm):
        sys.exit(f"error: {args.rxnorm} not found; it is needed to check the RxCUIs (pass --rxnorm PATH)")
    rxnorm = load_rxnorm(args.rxnorm)
    problems = verify(rxnorm)
    if problems:
        sys.exit("error: the sample definition is inconsistent:\n  " + "\n  ".join(problems))
    if args.markdown:
        print(markdown(rxnorm))
        return 0

    outputs = {FILES[t]: render(t) for t in FILES}
    if args.check:
        stale = []
        for name, data in outputs.items():
            path = os.path.join(args.out, name)
            if not os.path.exists(path) or open(path, "rb").read() != data:
                stale.append(name)
        extra = sorted(set(os.listdir(args.out)) - set(outputs)) if os.path.isdir(args.out) else []
        if stale or extra:
            print("out of date: " + ", ".join(stale + extra), file=sys.stderr)
            return 1
        print(f"{args.out}: {len(outputs)} files up to date")
        return 0

    os.makedirs(args.out, exist_ok=True)
    for name, data in outputs.items():
        with open(os.path.join(args.out, name), "wb") as fh:
            fh.write(data)
        rows = data.count(b"\n") - 1
        print(f"{len(data):8d} bytes {rows:5d} rows  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
