import Foundation
import FormularyCriteria
import FormularyModel

/// The tests' generator of FHIR R4 records from a profile, for the round trip: a person's claims
/// as Blue Button/CARIN pharmacy ExplanationOfBenefits (cash fills as MedicationDispenses, which no
/// claim shows), chart trials as MedicationStatements (outcome in `statusReason`), diagnoses as
/// Conditions, procedure courses as one Procedure per session, scores as Observations, the
/// patient's age, sex and state as a Patient, a delivery as an obstetric Procedure. What FHIR has
/// no place for (plans, PA-form flags, requests, the as-of date) goes in a small profile overlay.
enum FHIRBundleWriter {
    typealias Resource = [String: Any]

    static let ndcSystem = "http://hl7.org/fhir/sid/ndc"
    static let rxnormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm"
    static let icd10System = "http://hl7.org/fhir/sid/icd-10-cm"
    static let loincSystem = "http://loinc.org"
    static let cptSystem = "http://www.ama-assn.org/go/cpt"

    /// The resources standing for `profile`'s clinical facts.
    static func resources(for profile: PatientProfile) -> [Resource] {
        var out: [Resource] = []
        var serial = 0
        func next(_ prefix: String) -> String {
            serial += 1
            return "\(prefix)-\(serial)"
        }
        let asOf = profile.asOf ?? Day(ordinal: 20_000)

        var patient: Resource = ["resourceType": "Patient", "id": "rt-patient"]
        if let birth = profile.demographics.birthDate {
            patient["birthDate"] = birth.description
        } else if let age = profile.demographics.age {
            // Half a year past the birthday on the as-of date: the same age then, and for months around it.
            let birthday = asOf.adding(months: -12 * age) - 182
            patient["birthDate"] = birthday.description
        }
        switch profile.demographics.sex {
        case .female?: patient["gender"] = "female"
        case .male?: patient["gender"] = "male"
        case .other?: patient["gender"] = "other"
        case nil: break
        }
        if let state = profile.demographics.state { patient["address"] = [["use": "home", "state": state]] }
        out.append(patient)
        if let delivery = profile.demographics.deliveryDate {
            out.append(["resourceType": "Procedure", "id": next("delivery"), "status": "completed",
                        "code": ["coding": [["system": cptSystem, "code": "59400", "display": "Routine obstetric care including vaginal delivery"]]],
                        "performedDateTime": delivery.description])
        }

        for diagnosis in profile.diagnoses {
            var condition: Resource = ["resourceType": "Condition", "id": next("condition"),
                                       "code": ["coding": [["system": icd10System, "code": diagnosis.code]]]]
            if let start = diagnosis.episodeStart ?? diagnosis.onset { condition["onsetDateTime"] = start.description }
            if let remission = diagnosis.remission {
                condition["abatementDateTime"] = remission.description
                condition["clinicalStatus"] = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "remission"]]]
            } else {
                condition["clinicalStatus"] = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                                           "code": diagnosis.inRemission == true ? "remission" : "active"]]]
            }
            out.append(condition)
        }
        for condition in profile.conditions {
            out.append(["resourceType": "Condition", "id": next("safety"), "code": ["text": condition.rawValue.replacingOccurrences(of: "-", with: " ")],
                        "clinicalStatus": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"]]]])
        }

        for claim in profile.claims {
            let name = drugDisplay(claim.drug ?? "drug", mgPerDay: claim.mgPerDay)
            var codings: [Resource] = []
            if let ndc = claim.ndc { codings.append(["system": ndcSystem, "code": ndc.rawValue, "display": name]) }
            if let rxcui = claim.rxcui { codings.append(["system": rxnormSystem, "code": rxcui.rawValue, "display": name]) }
            let product: Resource = codings.isEmpty ? ["text": name] : ["coding": codings, "text": name]
            let quantity = claim.quantity ?? Double(claim.daysSupply)
            if claim.payer == .cash {
                out.append(["resourceType": "MedicationDispense", "id": next("dispense"), "status": "completed",
                            "medicationCodeableConcept": product, "whenHandedOver": claim.fillDate.description,
                            "quantity": ["value": quantity], "daysSupply": ["value": claim.daysSupply, "unit": "days"]])
                continue
            }
            out.append([
                "resourceType": "ExplanationOfBenefit", "id": next("eob"), "status": "active", "use": "claim", "outcome": "complete",
                "type": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "pharmacy"]]],
                "billablePeriod": ["start": claim.fillDate.description],
                "supportingInfo": [[
                    "sequence": 1,
                    "category": ["coding": [["system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType", "code": "dayssupply"]]],
                    "valueQuantity": ["value": claim.daysSupply],
                ]],
                "item": [["sequence": 1, "productOrService": product, "servicedDate": claim.fillDate.description, "quantity": ["value": quantity]]],
            ])
        }

        for trial in profile.trials {
            var statement: Resource = ["resourceType": "MedicationStatement", "id": next("statement"),
                                       "status": trial.end == nil ? "active" : "completed",
                                       "medicationCodeableConcept": ["text": trial.drug]]
            var period: Resource = ["start": trial.start.description]
            if let end = trial.end { period["end"] = end.description }
            statement["effectivePeriod"] = period
            if let dose = trial.mgPerDay {
                statement["dosage"] = [["timing": ["repeat": ["frequency": 1, "period": 1, "periodUnit": "d"]],
                                        "doseAndRate": [["doseQuantity": ["value": dose, "unit": "mg", "code": "mg"]]]]]
            }
            let words = (trial.outcomeText.map { $0.components(separatedBy: ", ") } ?? trial.outcomes.map(\.rawValue))
                .filter { $0 != "unknown" }
            if !words.isEmpty { statement["statusReason"] = words.map { ["text": $0] } }
            if let note = trial.note { statement["note"] = [["text": note]] }
            out.append(statement)
        }
        for medication in profile.medications {
            var statement: Resource = ["resourceType": "MedicationStatement", "id": next("medication"), "status": "active",
                                       "medicationCodeableConcept": ["text": medication.drug]]
            statement["effectivePeriod"] = ["start": (medication.start ?? asOf - 30).description]
            out.append(statement)
        }

        for procedure in profile.procedures {
            let sessions = max(1, procedure.sessions ?? 1)
            let start = procedure.start ?? procedure.end ?? asOf
            let end = procedure.end ?? start
            let span = max(0, end - start)
            for index in 0..<sessions {
                let day = sessions == 1 ? start : start + (span * index) / (sessions - 1)
                var resource: Resource = ["resourceType": "Procedure", "id": next("procedure"), "status": "completed",
                                          "code": procedureCode(procedure.type), "performedDateTime": day.description]
                if index == sessions - 1, procedure.outcome != .unknown {
                    resource["outcome"] = ["text": procedure.outcomeText ?? procedure.outcome.rawValue]
                }
                out.append(resource)
            }
        }

        for score in profile.scores {
            let code: Resource = switch ScoreRecord.scaleKey(score.scale) {
            case "phq9": ["coding": [["system": loincSystem, "code": "44261-6", "display": "PHQ-9 total score"]]]
            case "gad7": ["coding": [["system": loincSystem, "code": "70274-6", "display": "GAD-7 total score"]]]
            default: ["text": "\(score.scale) total score"]
            }
            let value: Any = score.value.rounded() == score.value ? Int(score.value) : score.value
            out.append(["resourceType": "Observation", "id": next("score"), "status": "final",
                        "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"]]]],
                        "code": code, "effectiveDateTime": score.date.description + "T10:00:00Z", "valueInteger": value])
        }
        return out
    }

    /// `escitalopram` at 10 mg a day → `escitalopram 10 MG Oral Tablet` (one a day), so the
    /// importer computes the same daily dose from strength × quantity ÷ days' supply.
    static func drugDisplay(_ drug: String, mgPerDay: Double?) -> String {
        guard let dose = mgPerDay, !drug.contains(where: \.isNumber) else { return drug }
        return "\(drug) \(dose.rounded() == dose ? String(Int(dose)) : String(dose)) MG Oral Tablet"
    }

    static func procedureCode(_ type: String) -> Resource {
        switch type.lowercased() {
        case "tms": ["coding": [["system": cptSystem, "code": "90868"]], "text": "TMS session"]
        case "ect": ["coding": [["system": cptSystem, "code": "90870"]], "text": "electroconvulsive therapy"]
        case "esketamine": ["coding": [["system": "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "code": "G2082"]]]
        case "cbt": ["coding": [["system": "http://snomed.info/sct", "code": "228557008"]], "text": "Cognitive behavioral therapy"]
        case "ipt": ["text": "Interpersonal psychotherapy"]
        case "dbt": ["text": "Dialectical behavior therapy"]
        default: ["coding": [["system": cptSystem, "code": "90837"]], "text": "psychotherapy, 60 minutes"]
        }
    }

    /// The facts FHIR has no place for, as a profile the importer merges.
    static func overlay(for profile: PatientProfile) -> String {
        var bare = PatientProfile(id: profile.id, asOf: profile.asOf, plans: profile.plans, flags: profile.flags, requests: profile.requests)
        bare.sourceFile = nil
        return PatientProfileWriter.yaml(bare, header: ["Generated by the tests: what FHIR has no place for."])
    }

    /// A collection Bundle of `resources`, as JSON.
    static func bundleJSON(_ resources: [Resource]) throws -> Data {
        let bundle: Resource = ["resourceType": "Bundle", "type": "collection",
                                "entry": resources.map { ["fullUrl": "urn:uuid:\(UUID().uuidString.lowercased())", "resource": $0] }]
        return try JSONSerialization.data(withJSONObject: bundle, options: [.prettyPrinted, .sortedKeys])
    }

    /// One resource per line.
    static func ndjson(_ resources: [Resource]) throws -> Data {
        var data = Data()
        for resource in resources {
            data.append(try JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys]))
            data.append(0x0A)
        }
        return data
    }

    /// The same Bundle as FHIR XML.
    static func bundleXML(_ resources: [Resource]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\">\n  <type value=\"collection\"/>\n"
        for resource in resources {
            guard let type = resource["resourceType"] as? String else { continue }
            out += "  <entry>\n    <resource>\n      <\(type)>\n"
            var body = resource
            body["resourceType"] = nil
            out += xml(body, indent: "        ")
            out += "      </\(type)>\n    </resource>\n  </entry>\n"
        }
        return out + "</Bundle>\n"
    }

    private static func xml(_ object: Resource, indent: String) -> String {
        var out = ""
        for key in object.keys.sorted(by: { ($0 == "id" ? 0 : 1, $0) < ($1 == "id" ? 0 : 1, $1) }) {
            guard let value = object[key] else { continue }
            let values: [Any] = (value as? [Any]) ?? [value]
            for item in values {
                if let child = item as? Resource {
                    out += "\(indent)<\(key)>\n" + xml(child, indent: indent + "  ") + "\(indent)</\(key)>\n"
                } else {
                    out += "\(indent)<\(key) value=\"\(escape(primitive(item)))\"/>\n"
                }
            }
        }
        return out
    }

    private static func primitive(_ value: Any) -> String {
        switch value {
        case let number as Int: String(number)
        case let number as Double: number.rounded() == number ? String(Int(number)) : String(number)
        default: "\(value)"
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
