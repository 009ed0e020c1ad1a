#!/usr/bin/env python3
"""Writes plans.json and drugs.json for Reference Formulary A (DOMAIN.md §5.0) in the CMS QHP
marketplace JSON layout. Deterministic; standard library only.

Every RxCUI must be an SCD, SBD or GPCK row of rxnorm_subset.csv (checked); the script refuses
anything else. Run from anywhere:  python3 Formularies/qhp/reference-a/make_reference_a.py [--check]
"""
import csv, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SUBSET = os.path.join(HERE, "..", "..", "reference", "rxnorm_subset.csv")
PLAN = "99990AZ0010001"
YEARS = [2025]

# DOMAIN tier -> QHP tier name (see README.md)
TIERS = {"T1": "GENERIC", "T2": "NON-PREFERRED-GENERIC", "T3": "PREFERRED-BRAND", "T4": "NON-PREFERRED-BRAND", "T5": "SPECIALTY"}

def cost(pharmacy_type, copay, copay_opt, coinsurance, coinsurance_opt):
    return {"pharmacy_type": pharmacy_type, "copay_amount": copay, "copay_opt": copay_opt,
            "coinsurance_rate": coinsurance, "coinsurance_opt": coinsurance_opt}

FORMULARY = [
    {"drug_tier": "GENERIC", "mail_order": True, "cost_sharing": [
        cost("1-MONTH-IN-RETAIL", 10.0, "BEFORE-DEDUCTIBLE", 0.0, None),
        cost("3-MONTH-IN-MAIL", 20.0, "BEFORE-DEDUCTIBLE", 0.0, None),
        cost("1-MONTH-OUT-RETAIL", 30.0, "AFTER-DEDUCTIBLE", 0.0, None)]},
    {"drug_tier": "NON-PREFERRED-GENERIC", "mail_order": True, "cost_sharing": [
        cost("1-MONTH-IN-RETAIL", 25.0, "BEFORE-DEDUCTIBLE", 0.0, None),
        cost("3-MONTH-IN-MAIL", 62.5, "BEFORE-DEDUCTIBLE", 0.0, None)]},
    {"drug_tier": "PREFERRED-BRAND", "mail_order": True, "cost_sharing": [
        cost("1-MONTH-IN-RETAIL", 50.0, "AFTER-DEDUCTIBLE", 0.0, None),
        cost("3-MONTH-IN-MAIL", 125.0, "AFTER-DEDUCTIBLE", 0.0, None)]},
    {"drug_tier": "NON-PREFERRED-BRAND", "mail_order": True, "cost_sharing": [
        cost("1-MONTH-IN-RETAIL", 0.0, None, 0.4, "AFTER-DEDUCTIBLE"),
        cost("3-MONTH-IN-MAIL", 0.0, None, 0.4, "AFTER-DEDUCTIBLE")]},
    {"drug_tier": "SPECIALTY", "mail_order": False, "cost_sharing": [
        cost("1-MONTH-IN-RETAIL", 0.0, None, 0.3, "AFTER-DEDUCTIBLE")]},
]

# (RxCUI, DOMAIN tier, PA, ST, QL) — the Formulary A table of DOMAIN.md §5.0.
T1 = [
    # SSRIs
    "312940", "312941", "312938", "351249", "349332", "351250", "310384", "310385", "313989",
    "1738483", "1738495", "1738503", "1738511", "903891", "903884",
    # SNRIs (not levomilnacipran)
    "313583", "313585", "313581", "313586", "790288", "790264", "596926", "596930", "596934",
    # bupropion IR / SR / XL (993557 = 24 HR bupropion hydrochloride 300 MG)
    "993691", "993687", "993503", "993518", "993536", "993541", "993557", "1232585",
    # mirtazapine, trazodone, TCAs, MAOIs
    "311725", "314111", "311726", "856377", "856373", "856364", "198045", "317136", "198046", "198047",
    "856834", "856845", "856762", "312347", "313447",
    # lithium, liothyronine, aripiprazole, quetiapine IR/XR, olanzapine/fluoxetine
    "197889", "197890", "197891", "903456", "903697", "903703", "602964", "402131", "349545", "349490",
    "312744", "312743", "317174", "895670", "721794", "721787", "403969", "403970",
]
CITALOPRAM_QL = ["283672", "200371", "309314"]  # T1, QL 40 mg/day
ROWS = [(r, "T1", False, False, False) for r in T1]
ROWS += [(r, "T1", False, False, True) for r in CITALOPRAM_QL]
ROWS += [(r, "T2", False, True, False) for r in ["1086772", "1086778", "1086784"]]             # vilazodone, ST-2G
ROWS += [(r, "T3", False, True, True) for r in ["1790892", "1790886", "1790890"]]              # Trintellix, ST-2G, QL 1/day
ROWS += [(r, "T4", False, True, False) for r in ["1433227", "1433233", "1433239", "1433217", "1433249"]]  # Fetzima (levomilnacipran SCDs + titration pack)
ROWS += [("2611260", "T3", False, True, True)]                                                 # Auvelity, ST-BUP+SSRI, QL 2/day
ROWS += [(r, "T3", True, False, False) for r in ["1658319", "1658327", "1658331", "1658335", "1658339", "1658343"]]  # Rexulti, PA-SGA
ROWS += [(r, "T3", True, False, False) for r in ["1667660", "1667668", "1667672", "1667676", "1741746"]]  # Vraylar, PA-SGA
ROWS += [(r, "T4", True, False, False) for r in ["865206", "865210", "865214"]]                # Emsam, PA
ROWS += [(r, "T4", True, False, False) for r in ["993545", "993564"]]                          # Wellbutrin XL brand, PA brand-necessary

def main():
    with open(SUBSET, newline="", encoding="utf-8") as handle:
        subset = {row["rxcui"]: row for row in csv.DictReader(handle)}
    drugs = []
    seen = set()
    for rxcui, tier, pa, st, ql in ROWS:
        row = subset.get(rxcui)
        if row is None or row["tty"] not in ("SCD", "SBD", "GPCK"):
            sys.exit(f"{rxcui}: not an SCD/SBD/GPCK row of rxnorm_subset.csv")
        if rxcui in seen:
            sys.exit(f"{rxcui}: listed twice")
        seen.add(rxcui)
        drugs.append({"rxnorm_id": rxcui, "drug_name": row["name"], "plans": [{
            "plan_id_type": "HIOS-PLAN-ID", "plan_id": PLAN, "drug_tier": TIERS[tier],
            "prior_authorization": pa, "step_therapy": st, "quantity_limit": ql, "years": YEARS}]})
    plans = [{
        "plan_id_type": "HIOS-PLAN-ID", "plan_id": PLAN,
        "marketing_name": "Reference Formulary A (synthetic commercial, Arizona)",
        "summary_url": "https://example.invalid/reference-a/summary",
        "marketing_url": "https://example.invalid/reference-a",
        "formulary_url": "https://example.invalid/reference-a/formulary",
        "plan_contact": "formulary@example.invalid",
        "network": [{"network_tier": "PREFERRED"}],
        "formulary": FORMULARY,
        "benefits": [{"telemedicine": True}],
        "last_updated_on": "2025-07-01",
        "years": YEARS}]
    outputs = {"plans.json": plans, "drugs.json": drugs}
    check = "--check" in sys.argv
    stale = False
    for name, value in outputs.items():
        text = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
        path = os.path.join(HERE, name)
        if check:
            with open(path, encoding="utf-8") as handle:
                if handle.read() != text:
                    print(f"{name} is out of date"); stale = True
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    sys.exit(1 if stale else 0)

if __name__ == "__main__":
    main()
