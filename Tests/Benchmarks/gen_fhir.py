#!/usr/bin/env python3
"""Generates a real-scale Da Vinci US Drug Formulary (STU2) FHIR XML Bundle for the FHIR import benchmark.

usage: gen_fhir.py OUT_FILE [--formularies F] [--drugs D] [--seed S] [--order items-first|drugs-first]

Default: 50 formularies over 6,000 drugs with ~83 % inclusion = ~250,000 FormularyItems, ~1 GB.
One `Bundle` (type collection), in the order a searchset with `_include` gives: per formulary its
PayerInsurancePlan (a full cost grid: 8 pharmacy benefit types x the tiers it uses), its Formulary, and
its FormularyItems; then every FormularyDrug (MedicationKnowledge) at the end, so the importer must hold
items until their drugs arrive (`--order drugs-first` puts the drugs first instead).

Each item looks like the IG's examples: an XHTML narrative, FormularyReference, AvailabilityStatus,
1-4 PharmacyBenefitType codes, DrugTierID, AvailabilityPeriod, PA / ST / QL booleans (each absent now
and then: absence is not false), the new-starts flags, a QuantityLimitDetail (Rolling, MaximumDaily,
sometimes DaysSupply and a Description) on QL items, AdditionalCoverageInformation on some, code, subject.
Code systems vary as real data does: `-TEMPORARY-TRIAL-USE` suffixes on some formularies, not others.

All codes are synthetic: RxCUIs are 8-digit numbers from 90000000 up (real ones have at most 7 digits).
Deterministic for a given seed and size. It renders each item from pre-built fragments and writes
~4 MB chunks, so 1 GB takes well under a minute.
"""
import argparse
import json
import os
import random
import sys
import time
from xml.sax.saxutils import escape, quoteattr

BASE = "http://hl7.org/fhir/us/davinci-drug-formulary"
SD = BASE + "/StructureDefinition/"
CS = BASE + "/CodeSystem/"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"

TIERS = [  # code, display, weight
    ("generic", "Generic", 40),
    ("preferred-generic", "Preferred Generic", 8),
    ("preferred-brand", "Preferred Brand", 14),
    ("non-preferred-brand", "Non-Preferred Brand", 10),
    ("brand", "Brand", 8),
    ("specialty", "Specialty", 6),
    ("zero-cost-share-preventative", "Zero Cost Share Preventative", 9),
    ("medical-service", "Medical Service", 5),
]
BENEFIT_TYPES = [
    ("1-month-in-retail", "1 month in network retail"),
    ("1-month-out-retail", "1 month out of network retail"),
    ("1-month-in-mail", "1 month in network mail order"),
    ("1-month-out-mail", "1 month out of network mail order"),
    ("3-month-in-retail", "3 month in network retail"),
    ("3-month-out-retail", "3 month out of network retail"),
    ("3-month-in-mail", "3 month in network mail order"),
    ("3-month-out-mail", "3 month out of network mail order"),
]
FORMS = ["Oral Tablet", "Oral Capsule", "Extended Release Oral Tablet", "Injectable Solution", "Topical Cream",
         "Oral Solution", "Delayed Release Oral Capsule", "Prefilled Syringe"]
STEMS = ["zorafen", "quetiline", "bupravine", "sertalor", "ketamor", "lamoxin", "aripidone", "venlaxine",
         "mirtazol", "esketra", "lithorane", "clozaprine", "fluvoxil", "duloxate", "vilazone", "trazorel"]
PRODUCT_TYPES = [("mediadv", "Medicare Advantage"), ("commppo", "Commercial PPO"), ("qhp", "Qualified Health Plan"),
                 ("medi", "Medicaid"), ("commhmo", "Commercial HMO")]


def coding(system, code, display, indent):
    pad = " " * indent
    return (f"{pad}<coding>\n{pad}  <system value=\"{system}\"/>\n{pad}  <code value=\"{code}\"/>\n"
            f"{pad}  <display value={quoteattr(display)}/>\n{pad}</coding>\n")


def ext_open(name, indent):
    return f"{' ' * indent}<extension url=\"{SD}{name}\">\n"


def ext_close(indent):
    return f"{' ' * indent}</extension>\n"


def boolean_ext(name, value, indent=8):
    pad = " " * indent
    return f"{pad}<extension url=\"{SD}{name}\">\n{pad}  <valueBoolean value=\"{'true' if value else 'false'}\"/>\n{pad}</extension>\n"


def cc_ext(name, system, code, display, indent=8):
    pad = " " * indent
    return (f"{pad}<extension url=\"{SD}{name}\">\n{pad}  <valueCodeableConcept>\n"
            + coding(system, code, display, indent + 4) + f"{pad}  </valueCodeableConcept>\n{pad}</extension>\n")


def narrative(resource_type, rid, lines, indent=8):
    pad = " " * indent
    body = "".join(f"<p><b>{escape(k)}</b>: {escape(v)}</p>" for k, v in lines)
    return (f"{pad}<text>\n{pad}  <status value=\"extensions\"/>\n{pad}  <div xmlns=\"http://www.w3.org/1999/xhtml\">"
            f"<p><b>Generated Narrative: {resource_type}</b><a name=\"{rid}\"> </a></p>"
            f"<div style=\"display: inline-block; background-color: #d9e0e7; padding: 6px; margin: 4px; border: 1px solid "
            f"#8da1b4; border-radius: 5px; line-height: 60%\"><p style=\"margin-bottom: 0px\">Resource {resource_type} "
            f"&quot;{rid}&quot; Updated &quot;2026-01-02 03:04:05+0000&quot; </p></div>{body}</div>\n{pad}</text>\n")


def entry(resource_type, rid, body):
    return (f"  <entry>\n    <fullUrl value=\"http://example.org/fhir/{resource_type}/{rid}\"/>\n    <resource>\n"
            f"      <{resource_type}>\n        <id value=\"{rid}\"/>\n{body}      </{resource_type}>\n    </resource>\n  </entry>\n")


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.args = args
        self.drugs = []
        for i in range(args.drugs):
            rxcui = str(90000000 + i * 7 + self.rng.randrange(7))
            name = f"{STEMS[i % len(STEMS)]}{i // len(STEMS)} {self.rng.choice([5, 10, 20, 25, 50, 100, 150, 300])} MG {self.rng.choice(FORMS)}"
            weights = [t[2] for t in TIERS]
            tier = self.rng.choices(range(len(TIERS)), weights=weights)[0]
            inclusion = self.rng.choice([0.99, 0.95, 0.9, 0.85, 0.7, 0.5])
            self.drugs.append((rxcui, name, tier, inclusion))
        self.counts = {"FormularyItem": 0, "FormularyDrug": 0, "PayerInsurancePlan": 0, "Formulary": 0,
                       "pa": 0, "st": 0, "ql": 0, "cost": 0}

    def suffix(self, f):
        # Odd formularies use the 2.x package code systems, even ones the RI's (no suffix).
        return "-TEMPORARY-TRIAL-USE" if f % 2 else ""

    def payer_plan(self, f, tiers_used):
        sfx = self.suffix(f)
        rid = f"PayerInsurancePlan-P{f:04d}"
        ptype, pdisplay = PRODUCT_TYPES[f % len(PRODUCT_TYPES)]
        parts = [f"        <meta>\n          <profile value=\"{SD}usdf-PayerInsurancePlan\"/>\n        </meta>\n",
                 narrative("InsurancePlan", rid, [("name", f"Synthetic Plan P{f:04d}")]),
                 f"        <identifier>\n          <value value=\"P{f:04d}\"/>\n        </identifier>\n",
                 "        <status value=\"active\"/>\n",
                 "        <type>\n" + coding("http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/InsuranceProductTypeCS",
                                             ptype, pdisplay, 10) + "        </type>\n",
                 f"        <name value=\"Synthetic Plan P{f:04d}\"/>\n",
                 "        <period>\n          <start value=\"2026-01-01\"/>\n          <end value=\"2026-12-31\"/>\n        </period>\n",
                 "        <coverage>\n" + ext_open("usdf-FormularyReference-extension", 10)
                 + f"            <valueReference>\n              <reference value=\"InsurancePlan/Formulary-F{f:04d}\"/>\n"
                 + "            </valueReference>\n" + ext_close(10)
                 + "          <type>\n" + coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRUGPOL", "drug policy", 12)
                 + "          </type>\n          <benefit>\n            <type>\n"
                 + coding("http://terminology.hl7.org/CodeSystem/insurance-plan-type", "drug", "Drug", 14)
                 + "            </type>\n          </benefit>\n        </coverage>\n",
                 "        <plan>\n          <type>\n" + coding("http://terminology.hl7.org/CodeSystem/insurance-plan-type", "drug", "Drug", 12)
                 + "          </type>\n"]
        for code, display in BENEFIT_TYPES:
            parts.append("          <specificCost>\n            <category>\n"
                         + coding(CS + "usdf-PharmacyBenefitTypeCS" + sfx, code, display, 14) + "            </category>\n")
            months = 3 if code.startswith("3") else 1
            for t in tiers_used:
                tcode, tdisplay, _ = TIERS[t]
                copay = 0 if tcode in ("zero-cost-share-preventative", "generic") else (10 + 15 * t) * months
                coins = 0 if copay == 0 else (20 if tcode == "specialty" else 0)
                qual = "no-charge" if copay == 0 and coins == 0 else "after-deductible"
                parts.append("            <benefit>\n              <type>\n"
                             + coding(CS + "usdf-DrugTierCS" + sfx, tcode, tdisplay, 16) + "              </type>\n")
                for ctype, value, unit in (("copay", copay, "$"), ("coinsurance", coins, "%")):
                    qsys = CS + "usdf-CostShareOptionCS" + sfx
                    vsys, vcode = ("urn:iso:std:iso:4217", "USD") if unit == "$" else ("http://unitsofmeasure.org", "%")
                    parts.append("              <cost>\n                <type>\n"
                                 + coding(CS + "usdf-BenefitCostTypeCS" + sfx, ctype, ctype.capitalize(), 18)
                                 + "                </type>\n                <qualifiers>\n"
                                 + coding(qsys, qual, qual.replace("-", " ").title(), 18)
                                 + "                </qualifiers>\n                <value>\n"
                                 + f"                  <value value=\"{value}\"/>\n"
                                 + (f"                  <unit value=\"$\"/>\n" if unit == "$" else "")
                                 + f"                  <system value=\"{vsys}\"/>\n                  <code value=\"{vcode}\"/>\n"
                                 + "                </value>\n              </cost>\n")
                parts.append("            </benefit>\n")
                self.counts["cost"] += 1
            parts.append("          </specificCost>\n")
        parts.append("        </plan>\n")
        self.counts["PayerInsurancePlan"] += 1
        return entry("InsurancePlan", rid, "".join(parts))

    def formulary(self, f):
        rid = f"Formulary-F{f:04d}"
        body = (f"        <meta>\n          <profile value=\"{SD}usdf-Formulary\"/>\n        </meta>\n"
                + narrative("InsurancePlan", rid, [("name", f"Synthetic Formulary F{f:04d}")])
                + f"        <identifier>\n          <value value=\"F{f:04d}\"/>\n        </identifier>\n"
                + "        <status value=\"active\"/>\n        <type>\n"
                + coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRUGPOL", "drug policy", 10)
                + f"        </type>\n        <name value=\"Synthetic Formulary F{f:04d}\"/>\n"
                + "        <period>\n          <start value=\"2026-01-01\"/>\n          <end value=\"2026-12-31\"/>\n        </period>\n")
        self.counts["Formulary"] += 1
        return entry("InsurancePlan", rid, body)

    def item(self, f, d, tier):
        rng = self.rng
        sfx = self.suffix(f)
        rxcui, name, _, _ = self.drugs[d]
        rid = f"FormularyItem-F{f:04d}-{rxcui}"
        tcode, tdisplay, _ = TIERS[tier]
        specialty = tcode == "specialty"
        pa = rng.random() < (0.45 if specialty else 0.12)
        st = rng.random() < 0.09
        ql = rng.random() < 0.4
        benefit_count = rng.choice([1, 2, 4, 4])
        lines = [("Formulary Reference", f"InsurancePlan/Formulary-F{f:04d}"), ("Availability Status", "active"),
                 ("Drug Tier ID", tdisplay), ("Prior Authorization", str(pa).lower()),
                 ("Step Therapy Limit", str(st).lower()), ("Quantity Limit", str(ql).lower()),
                 ("subject", f"MedicationKnowledge/FormularyDrug-{rxcui}")]
        parts = [f"        <meta>\n          <profile value=\"{SD}usdf-FormularyItem\"/>\n        </meta>\n",
                 narrative("Basic", rid, lines),
                 ext_open("usdf-FormularyReference-extension", 8)
                 + f"          <valueReference>\n            <reference value=\"InsurancePlan/Formulary-F{f:04d}\"/>\n"
                 + "          </valueReference>\n" + ext_close(8),
                 ext_open("usdf-AvailabilityStatus-extension", 8) + "          <valueCode value=\"active\"/>\n" + ext_close(8)]
        for code, display in BENEFIT_TYPES[: benefit_count * 2 : 2] if benefit_count < 4 else BENEFIT_TYPES[:4]:
            parts.append(cc_ext("usdf-PharmacyBenefitType-extension", CS + "usdf-PharmacyBenefitTypeCS" + sfx, code, display))
        parts.append(cc_ext("usdf-DrugTierID-extension", CS + "usdf-DrugTierCS" + sfx, tcode, tdisplay))
        parts.append(ext_open("usdf-AvailabilityPeriod-extension", 8)
                     + "          <valuePeriod>\n            <start value=\"2026-01-01\"/>\n            <end value=\"2026-12-31\"/>\n"
                     + "          </valuePeriod>\n" + ext_close(8))
        # Each flag is left out now and then: absence means "not stated", never false.
        if rng.random() < 0.97:
            parts.append(boolean_ext("usdf-PriorAuthorization-extension", pa))
            if pa:
                parts.append(boolean_ext("usdf-PriorAuthorizationNewStartsOnly-extension", rng.random() < 0.5))
                self.counts["pa"] += 1
        if rng.random() < 0.97:
            parts.append(boolean_ext("usdf-StepTherapyLimit-extension", st))
            if st:
                parts.append(boolean_ext("usdf-StepTherapyLimitNewStartsOnly-extension", rng.random() < 0.5))
                self.counts["st"] += 1
        if rng.random() < 0.97:
            parts.append(boolean_ext("usdf-QuantityLimit-extension", ql))
            if ql:
                self.counts["ql"] += 1
                count = rng.choice([30, 60, 90, 120, 180])
                period = rng.choice([30, 30, 30, 90])
                detail = [ext_open("usdf-QuantityLimitDetail-extension", 8),
                          "          <extension url=\"Rolling\">\n            <valueTiming>\n              <repeat>\n"
                          f"                <count value=\"{count}\"/>\n                <period value=\"{period}\"/>\n"
                          "                <periodUnit value=\"d\"/>\n              </repeat>\n            </valueTiming>\n"
                          "          </extension>\n",
                          "          <extension url=\"MaximumDaily\">\n            <valueQuantity>\n"
                          f"              <value value=\"{max(1, count // period)}\"/>\n            </valueQuantity>\n"
                          "          </extension>\n"]
                if rng.random() < 0.2:
                    detail.append("          <extension url=\"DaysSupply\">\n            <valueTiming>\n              <repeat>\n"
                                  "                <boundsDuration>\n                  <value value=\"365\"/>\n"
                                  "                  <system value=\"http://unitsofmeasure.org\"/>\n"
                                  "                  <code value=\"d\"/>\n                </boundsDuration>\n"
                                  "                <count value=\"1\"/>\n                <period value=\"180\"/>\n"
                                  "                <periodUnit value=\"d\"/>\n              </repeat>\n            </valueTiming>\n"
                                  "          </extension>\n")
                if rng.random() < 0.3:
                    detail.append("          <extension url=\"Description\">\n"
                                  f"            <valueString value=\"{count} units per {period} days\"/>\n          </extension>\n")
                detail.append(ext_close(8))
                parts.append("".join(detail))
        if pa or st:
            if rng.random() < 0.5:
                parts.append(ext_open("usdf-AdditionalCoverageInformation-extension", 8)
                             + "          <valueMarkdown value=\"Prior authorization and step therapy criteria apply;"
                             + " see the plan's coverage policy.&#10;Requests are reviewed within 72 hours.\"/>\n" + ext_close(8))
        parts.append("        <code>\n" + coding(CS + "usdf-InsuranceItemTypeCS", "formulary-item", "Formulary Item", 10)
                     + "        </code>\n")
        parts.append(f"        <subject>\n          <reference value=\"MedicationKnowledge/FormularyDrug-{rxcui}\"/>\n"
                     "        </subject>\n")
        self.counts["FormularyItem"] += 1
        return entry("Basic", rid, "".join(parts))

    def drug(self, d):
        rxcui, name, _, _ = self.drugs[d]
        rid = f"FormularyDrug-{rxcui}"
        body = (f"        <meta>\n          <profile value=\"{SD}usdf-FormularyDrug\"/>\n        </meta>\n"
                + narrative("MedicationKnowledge", rid, [("code", name)])
                + "        <code>\n" + coding(RXNORM, rxcui, name, 10) + "        </code>\n"
                + "        <status value=\"active\"/>\n")
        self.counts["FormularyDrug"] += 1
        return entry("MedicationKnowledge", rid, body)

    def run(self, out):
        args = self.args
        buffer = []
        size = 0

        def emit(text):
            nonlocal size
            buffer.append(text)
            size += len(text)
            if size > (4 << 20):
                out.write("".join(buffer).encode("utf-8"))
                buffer.clear()
                size = 0

        emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\">\n"
             "  <id value=\"synthetic-formulary-benchmark\"/>\n  <type value=\"collection\"/>\n")
        if args.order == "drugs-first":
            for d in range(len(self.drugs)):
                emit(self.drug(d))
        for f in range(args.formularies):
            chosen = []
            for d, (_, _, base_tier, inclusion) in enumerate(self.drugs):
                if self.rng.random() < inclusion:
                    tier = base_tier
                    if self.rng.random() < 0.08:
                        tier = (tier + self.rng.choice([1, len(TIERS) - 1])) % len(TIERS)
                    chosen.append((d, tier))
            tiers_used = sorted({t for _, t in chosen})
            emit(self.payer_plan(f, tiers_used))
            emit(self.formulary(f))
            for d, tier in chosen:
                emit(self.item(f, d, tier))
        if args.order == "items-first":
            for d in range(len(self.drugs)):
                emit(self.drug(d))
        emit("</Bundle>\n")
        out.write("".join(buffer).encode("utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--formularies", type=int, default=50)
    parser.add_argument("--drugs", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--order", choices=["items-first", "drugs-first"], default="items-first")
    args = parser.parse_args()
    started = time.time()
    generator = Generator(args)
    partial = args.out + ".partial"
    with open(partial, "wb") as out:
        generator.run(out)
    os.replace(partial, args.out)
    manifest = dict(generator.counts)
    manifest.update(bytes=os.path.getsize(args.out), seed=args.seed, formularies=args.formularies, drugs=args.drugs,
                    order=args.order, seconds=round(time.time() - started, 1))
    with open(args.out + ".manifest.json", "w") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
    print(json.dumps(manifest, sort_keys=True), file=sys.stderr)


if __name__ == "__main__":
    main()
