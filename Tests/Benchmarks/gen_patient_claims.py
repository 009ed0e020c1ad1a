#!/usr/bin/env python3
"""Generates a FHIR bulk export (NDJSON) of pharmacy claims for one synthetic patient: CARIN
Blue Button pharmacy ExplanationOfBenefits, one per line, with an 11-digit NDC (half of them also
hyphenated 5-4-2), an RxNorm coding on some, the fill date, days' supply in supportingInfo and the
quantity. Drugs rotate through antidepressants and co-medications, so the import groups fills
into trials, merges nothing (every claim is distinct) and maps NDCs.

usage: gen_patient_claims.py OUT.ndjson [--claims N] [--seed S] [--rxnorm DIR]
With --rxnorm, also writes a minimal RxNorm release in DIR/rrf (RXNCONSO.RRF with the claims'
RxCUIs, RXNSAT.RRF mapping each of their NDCs), so `formulary import DIR` loads the NDC → RxCUI
mappings the patient import looks up."""
import argparse
import datetime
import json
import random

DRUGS = [
    # (display, rxcui or None, labelers, strength mg)
    ("sertraline 100 MG Oral Tablet", "312938", ["90011", "90012"], 100),
    ("escitalopram 10 MG Oral Tablet", "349332", ["90021"], 10),
    ("24 HR bupropion hydrochloride 300 MG Extended Release Oral Tablet", "993557", ["90001", "90002"], 300),
    ("duloxetine 60 MG Delayed Release Oral Capsule", "596934", ["90031"], 60),
    ("24 HR venlafaxine 75 MG Extended Release Oral Capsule", "313585", ["90041"], 75),
    ("lisinopril 10 MG Oral Tablet", None, ["90051"], 10),
    ("atorvastatin 20 MG Oral Tablet", None, ["90061"], 20),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--rxnorm", help="write a minimal RxNorm release (RRF) mapping the NDCs here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime.date(1990, 1, 1)
    ndcs = {}
    with open(args.out, "w") as out:
        for number in range(args.claims):
            display, rxcui, labelers, _ = DRUGS[number % len(DRUGS)]
            # Each drug is filled about monthly: claim n of a drug falls ~30 days after its previous one.
            day = start + datetime.timedelta(days=(number // len(DRUGS)) * 30 + rng.randint(0, 3))
            labeler = labelers[(number // (len(DRUGS) * 40)) % len(labelers)]
            product = f"{(number % len(DRUGS)) * 7 + 100:04d}"
            ndc11 = f"{labeler}{product}{(number // 3) % 90 + 10:02d}"
            ndcs[ndc11] = (rxcui, display)
            ndc = ndc11 if number % 2 else f"{ndc11[:5]}-{ndc11[5:9]}-{ndc11[9:]}"
            days = 30 if number % 10 else 90
            codings = [{"system": "http://hl7.org/fhir/sid/ndc", "code": ndc, "display": display}]
            if rxcui and number % 3 == 0:
                codings.append({"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": rxcui, "display": display})
            claim = {
                "resourceType": "ExplanationOfBenefit",
                "id": f"rx-{number}",
                "status": "active",
                "use": "claim",
                "outcome": "complete",
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "pharmacy"}]},
                "patient": {"reference": "Patient/bench"},
                "billablePeriod": {"start": day.isoformat(), "end": day.isoformat()},
                "supportingInfo": [
                    {"sequence": 1, "category": {"coding": [{"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType", "code": "dayssupply"}]},
                     "valueQuantity": {"value": days}},
                    {"sequence": 2, "category": {"coding": [{"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType", "code": "refillnum"}]},
                     "valueQuantity": {"value": number % 5}},
                ],
                "item": [{"sequence": 1, "productOrService": {"coding": codings}, "servicedDate": day.isoformat(),
                          "quantity": {"value": days}}],
                "total": [{"category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/adjudication", "code": "benefit"}]},
                           "amount": {"value": round(rng.uniform(1, 80), 2), "currency": "USD"}}],
            }
            out.write(json.dumps(claim, separators=(",", ":")) + "\n")
    if args.rxnorm:
        import os
        folder = os.path.join(args.rxnorm, "rrf")
        os.makedirs(folder, exist_ok=True)
        concepts = sorted({(rxcui, display) for rxcui, display in ndcs.values() if rxcui})
        aui = {rxcui: 80000000 + index for index, (rxcui, _) in enumerate(concepts)}
        with open(os.path.join(folder, "RXNCONSO.RRF"), "w") as out:
            for rxcui, display in concepts:
                out.write(f"{rxcui}|ENG||||||{aui[rxcui]}|{aui[rxcui]}|{rxcui}||RXNORM|SCD|{rxcui}|{display}||N|4096|\n")
        with open(os.path.join(folder, "RXNSAT.RRF"), "w") as out:
            for ndc, (rxcui, _) in sorted(ndcs.items()):
                if rxcui:
                    out.write(f"{rxcui}|||{aui[rxcui]}|AUI|{rxcui}|||NDC|RXNORM|{ndc}|N|4096|\n")


if __name__ == "__main__":
    main()
