#!/usr/bin/env python3
"""Baseline for the FHIR import benchmark: lxml `iterparse` over a FHIR XML Bundle, extracting the fields
the `formulary` importer reads, in constant memory (each entry is cleared once read).

usage: fhir_lxml.py BUNDLE.xml

It extracts, per FormularyItem (Basic): formulary reference, subject reference, tier system and code,
availability status and period, pharmacy benefit types, the PA / ST / QL booleans and both new-starts
flags, and the quantity-limit detail (Rolling count and period, MaximumDaily, DaysSupply, Description);
per FormularyDrug (MedicationKnowledge): id, the first RxNorm code and its display; per InsurancePlan:
id, profile, identifier, name, type, period start, formulary reference and every cost (benefit type,
tier, cost type, qualifier, value). It prints the counts as JSON so a run can be checked against the
importer's. The work stays in Python objects, as a Python importer would have it before storing it.
"""
import json
import sys

from lxml import etree

F = "{http://hl7.org/fhir}"
SD = "/StructureDefinition/"


def value(element, path):
    found = element.find(path)
    return None if found is None else found.get("value")


def ext_name(url):
    name = url.rsplit("/", 1)[-1].lower()
    return name[: -len("-temporary-trial-use")] if name.endswith("-temporary-trial-use") else name


def item(basic):
    out = {"id": value(basic, F + "id"), "subject": value(basic, F + "subject/" + F + "reference"), "benefits": []}
    for ext in basic.iterfind(F + "extension"):
        name = ext_name(ext.get("url", ""))
        if name == "usdf-formularyreference-extension":
            out["formulary"] = value(ext, F + "valueReference/" + F + "reference")
        elif name == "usdf-availabilitystatus-extension":
            out["status"] = value(ext, F + "valueCode")
        elif name == "usdf-availabilityperiod-extension":
            out["period"] = (value(ext, F + "valuePeriod/" + F + "start"), value(ext, F + "valuePeriod/" + F + "end"))
        elif name == "usdf-pharmacybenefittype-extension":
            out["benefits"].append(value(ext, F + "valueCodeableConcept/" + F + "coding/" + F + "code"))
        elif name == "usdf-drugtierid-extension":
            coding = ext.find(F + "valueCodeableConcept/" + F + "coding")
            out["tier"] = (value(coding, F + "system"), value(coding, F + "code"))
        elif name in ("usdf-priorauthorization-extension", "usdf-priorauthorizationnewstartsonly-extension",
                      "usdf-steptherapylimit-extension", "usdf-steptherapylimitnewstartsonly-extension",
                      "usdf-quantitylimit-extension"):
            out[name] = value(ext, F + "valueBoolean") == "true"
        elif name == "usdf-quantitylimitdetail-extension":
            for part in ext.iterfind(F + "extension"):
                url = part.get("url")
                if url == "Rolling":
                    repeat = part.find(F + "valueTiming/" + F + "repeat")
                    out["rolling"] = (value(repeat, F + "count"), value(repeat, F + "period"), value(repeat, F + "periodUnit"))
                elif url == "MaximumDaily":
                    out["maxDaily"] = value(part, F + "valueQuantity/" + F + "value")
                elif url == "DaysSupply":
                    repeat = part.find(F + "valueTiming/" + F + "repeat")
                    out["daysSupply"] = (value(repeat, F + "count"), value(repeat, F + "period"))
                elif url == "Description":
                    out["description"] = value(part, F + "valueString")
    return out


def drug(knowledge):
    for coding in knowledge.iterfind(F + "code/" + F + "coding"):
        if value(coding, F + "system") == "http://www.nlm.nih.gov/research/umls/rxnorm":
            return {"id": value(knowledge, F + "id"), "rxcui": value(coding, F + "code"), "name": value(coding, F + "display")}
    return {"id": value(knowledge, F + "id")}


def plan(insurance):
    out = {"id": value(insurance, F + "id"), "profile": value(insurance, F + "meta/" + F + "profile"),
           "identifier": value(insurance, F + "identifier/" + F + "value"), "name": value(insurance, F + "name"),
           "type": value(insurance, F + "type/" + F + "coding/" + F + "code"),
           "start": value(insurance, F + "period/" + F + "start"), "costs": []}
    for ext in insurance.iterfind(F + "coverage/" + F + "extension"):
        out["formulary"] = value(ext, F + "valueReference/" + F + "reference")
    for cost_group in insurance.iterfind(F + "plan/" + F + "specificCost"):
        category = value(cost_group, F + "category/" + F + "coding/" + F + "code")
        for benefit in cost_group.iterfind(F + "benefit"):
            tier = value(benefit, F + "type/" + F + "coding/" + F + "code")
            for cost in benefit.iterfind(F + "cost"):
                out["costs"].append((category, tier, value(cost, F + "type/" + F + "coding/" + F + "code"),
                                     value(cost, F + "qualifiers/" + F + "coding/" + F + "code"),
                                     value(cost, F + "value/" + F + "value")))
    return out


def main():
    counts = {"FormularyItem": 0, "FormularyDrug": 0, "InsurancePlan": 0, "costs": 0, "pa": 0, "ql": 0}
    drugs = {}
    items = 0
    for _, entry in etree.iterparse(sys.argv[1], events=("end",), tag=F + "entry"):
        resource = entry.find(F + "resource")
        if resource is not None and len(resource):
            body = resource[0]
            tag = body.tag
            if tag == F + "Basic":
                record = item(body)
                items += 1
                counts["FormularyItem"] += 1
                counts["pa"] += record.get("usdf-priorauthorization-extension", False)
                counts["ql"] += record.get("usdf-quantitylimit-extension", False)
            elif tag == F + "MedicationKnowledge":
                record = drug(body)
                drugs[record["id"]] = record.get("rxcui")
                counts["FormularyDrug"] += 1
            elif tag == F + "InsurancePlan":
                record = plan(body)
                counts["InsurancePlan"] += 1
                counts["costs"] += len(record["costs"])
        entry.clear()
        while entry.getprevious() is not None:
            del entry.getparent()[0]
    print(json.dumps(counts, sort_keys=True))


if __name__ == "__main__":
    main()
