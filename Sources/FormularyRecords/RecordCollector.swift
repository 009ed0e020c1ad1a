import FormularyCriteria
import FormularyImport
import FormularyModel

/// Gathers raw facts from resources, logs and profiles, one at a time, with a warning for each
/// problem and a count for each thing deliberately not read. Resolution (drugs, references),
/// merging and trials come after every input is read (`ProfileAssembler`).
final class RecordCollector {
    var fills: [RawFill] = []
    var uses: [RawUse] = []
    var sessions: [RawSession] = []
    var diagnoses: [RawDiagnosis] = []
    var conditions: [RawCondition] = []
    var scores: [RawScore] = []
    var sideEffects: [RawSideEffect] = []
    var intolerances: [RawIntolerance] = []
    var demographics: [RawDemographics] = []
    var deliveries: [RawDelivery] = []
    var plans: [(plan: String, source: FactSource)] = []
    /// Medication resources by `Medication/<id>` and by Bundle `fullUrl`.
    var medications: [String: DrugCode] = [:]
    /// PHQ-9 item Observations by `Observation/<id>` and `fullUrl`.
    var items: [String: ScoredItem] = [:]
    var panels: [ScorePanel] = []
    /// Profiles given among the inputs, in order.
    var profiles: [(profile: PatientProfile, file: String)] = []

    var warnings: [RecordWarning] = []
    var skipped: [String: Int] = [:]
    /// Names and identifiers seen in Patient, RelatedPerson and Coverage resources: never copied,
    /// and blanked out of file names and resource ids written with facts.
    var sensitive: Set<String> = []
    /// Facts taken from each file.
    var factsByFile: [String: Int] = [:]

    /// Where the current resource is, for warnings and sources.
    struct Context {
        var file: String
        var resource: String
        var source: FactSource { FactSource(file: file, resource: resource) }
    }

    func warn(_ context: Context, _ field: String, _ message: String) {
        warnings.append(RecordWarning(file: context.file, resource: context.resource, field: field, message: message))
    }

    func skip(_ reason: String, _ count: Int = 1) {
        skipped[reason, default: 0] += count
    }

    func counted(_ context: Context) {
        factsByFile[context.file, default: 0] += 1
    }

    // MARK: Resources

    /// Reads one resource into facts.
    func ingest(_ resource: FHIRStreamedResource) {
        let context = Context(file: resource.file, resource: resource.label)
        let element = resource.element
        if element.string("status") == "entered-in-error" || element.at("verificationStatus").map({ $0.hasCode("entered-in-error") }) == true {
            skip("resources marked entered-in-error")
            return
        }
        registerContained(element, context: context)
        switch resource.resourceType {
        case "ExplanationOfBenefit": explanationOfBenefit(element, context)
        case "MedicationDispense": dispense(element, context)
        case "MedicationRequest": request(element, context)
        case "MedicationStatement": statement(element, context)
        case "Medication": registerMedication(element, resource: resource)
        case "Condition": condition(element, context)
        case "Procedure": procedure(element, context)
        case "Observation": observation(element, resource: resource, context)
        case "QuestionnaireResponse": questionnaireResponse(element, context)
        case "AllergyIntolerance": allergy(element, context)
        case "Patient": patient(element, context)
        case "Coverage": coverage(element, context)
        case "RelatedPerson":
            noteSensitive(names: element.all("name"), identifiers: element.all("identifier"))
            skip("resources not used: RelatedPerson")
        case "Claim":
            skip("resources not used: Claim (a claim as submitted; its ExplanationOfBenefit is what was paid)")
        case "Questionnaire":
            skip("resources not used: Questionnaire (a form, not answers)")
        default:
            skip("resources not used: \(resource.resourceType)")
        }
    }

    /// Contained Medications, reachable as `#id` from their resource only.
    private var contained: [String: DrugCode] = [:]

    private func registerContained(_ element: FHIRElement, context: Context) {
        contained = [:]
        for item in element.all("contained") where item.string("resourceType") == "Medication" {
            guard let id = item.string("id") else { continue }
            contained["#" + id] = drugCode(concept: item.first("code"), path: "contained.code", context)
        }
    }

    private func registerMedication(_ element: FHIRElement, resource: FHIRStreamedResource) {
        let context = Context(file: resource.file, resource: resource.label)
        let code = drugCode(concept: element.first("code"), path: "code", context)
        if let id = resource.id { medications["Medication/" + id] = code }
        if let url = resource.fullURL { medications[url] = code }
    }

    /// The drug a resource names: `medicationCodeableConcept`, or `medicationReference` (contained
    /// now, others once every input is read).
    func medicationOf(_ element: FHIRElement, _ context: Context) -> DrugCode? {
        if let concept = element.first("medicationCodeableConcept") {
            return drugCode(concept: concept, path: "medicationCodeableConcept", context)
        }
        if let reference = element.first("medicationReference") {
            if let target = reference.reference {
                if let code = contained[target] { return code }
                return DrugCode(text: reference.string("display"), reference: target)
            }
            if let display = reference.string("display") { return DrugCode(text: display) }
        }
        return nil
    }

    /// NDC, RxNorm and text from a CodeableConcept; an NDC that is not one is a warning.
    func drugCode(concept: FHIRElement?, path: String, _ context: Context) -> DrugCode {
        var code = DrugCode()
        guard let concept else { return code }
        for coding in concept.codings(path: path) {
            switch coding.system {
            case .ndc:
                if let ndc = Codes.ndc(coding.code) {
                    if code.ndc == nil { code.ndc = ndc }
                } else {
                    warn(context, coding.path + ".code", "\"\(coding.code)\" is not an NDC (11 digits, or 4-4-2, 5-3-2 or 5-4-1 with hyphens); not used as one")
                }
                if code.text == nil, let display = coding.display, display != coding.code { code.text = display }
            case .rxnorm:
                if RxCUI.isWellFormed(coding.code) { code.rxcui = code.rxcui ?? RxCUI(coding.code) } else {
                    warn(context, coding.path + ".code", "\"\(coding.code)\" is not an RxCUI (1 to 8 digits)")
                }
                if let display = coding.display { code.text = code.text ?? display }
            case .ignored, .snomed, .loinc, .cpt, .hcpcs, .icd10cm, .icd10pcs, .icd9:
                continue
            case .other(let uri):
                warn(context, coding.path + ".system", "unknown code system \(uri) for a drug (expected NDC or RxNorm); the code is not used")
            }
        }
        if let text = concept.string("text")?.trimmingWhitespace(), !text.isEmpty, code.text == nil || code.text == code.rxcui?.rawValue {
            code.text = text
        }
        return code
    }

    /// A date field: a day; a month-precision date becomes its first day with a warning; anything
    /// else is a warning and nil.
    func day(_ text: String?, _ context: Context, _ field: String, what: String) -> Day? {
        guard let text else { return nil }
        switch FHIRDate.parse(text) {
        case .day(let day): return day
        case .month(let day):
            warn(context, field, "\(what) \"\(text)\" gives only a month; read as \(day) (uncertain)")
            return day
        case .year:
            warn(context, field, "\(what) \"\(text)\" gives only a year; too vague to date the fact")
            return nil
        case .invalid:
            warn(context, field, "\(what) \"\(text)\" is not a date")
            return nil
        }
    }

    // MARK: People

    /// Remembers names and identifiers so they never reach the profile, even inside a file name.
    func noteSensitive(names: [FHIRElement], identifiers: [FHIRElement]) {
        for name in names {
            for part in name.all("family") + name.all("given") + name.all("text") {
                guard let value = part.value else { continue }
                for token in value.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where token.count >= 2 {
                    sensitive.insert(token.lowercased())
                }
            }
        }
        for identifier in identifiers {
            if let value = identifier.string("value")?.trimmingWhitespace(), value.count >= 3 { sensitive.insert(value.lowercased()) }
        }
    }
}
