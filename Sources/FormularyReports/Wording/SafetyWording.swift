/// A plain-words explanation of each safety rule of DOMAIN.md §3, shown under the analyzer's own
/// message so a patient understands why it matters. Explanations only: whether a rule fires,
/// and its dates, are the analyzer's.
enum SafetyWording {
    static func explanation(_ ruleID: String) -> String? {
        switch ruleID {
        case "S1": "MAO inhibitors (such as phenelzine, tranylcypromine or the Emsam patch) must never overlap with most other antidepressants: the combination can cause a dangerous reaction. A gap of at least 14 days is needed."
        case "S2": "Fluoxetine stays in the body for weeks: wait at least 5 weeks after the last dose before starting an MAO inhibitor."
        case "S3": "After stopping an antidepressant, wait the listed number of days before starting an MAO inhibitor, so the two never overlap in the body."
        case "S4": "Taking two or more drugs that raise serotonin can cause serotonin syndrome: get help at once for fever, stiff or twitching muscles, a racing heart or confusion."
        case "S5": "Bupropion (also in Auvelity) can cause seizures; it is not used with a seizure disorder, an eating disorder, or sudden withdrawal from alcohol or sedatives."
        case "S6": "Bupropion at high doses, or with some other medicines, raises the chance of a seizure."
        case "S7": "Some antidepressants slow the body's breakdown of aripiprazole, so the usual dose would act like a much larger one: the prescriber should start at half the usual dose."
        case "S8": "Some antidepressants slow the body's breakdown of brexpiprazole: the prescriber should check the dose."
        case "S9": "Citalopram above 40 mg a day (20 mg after age 60) can disturb the heart rhythm."
        case "S10": "Gepirone is not used with some heart-rhythm problems, liver problems or certain other medicines."
        case "S11": "Spravato is not used by people with certain blood-vessel problems (an aneurysm, a malformation of blood vessels, or bleeding in the brain)."
        case "S12": "Spravato raises blood pressure and causes sleepiness; the clinic watches you for at least 2 hours after each dose, and you should not drive that day."
        case "S13": "Plans do not pay for Spravato and TMS in the same course of treatment: choose one at a time."
        case "S14": "TMS uses a strong magnet: it is not used with a seizure disorder or metal or implants near the head."
        case "S15": "Some pain relievers (NSAIDs such as ibuprofen) and blood-pressure medicines raise lithium levels: levels need checking."
        case "S16": "Fiber supplements such as psyllium can keep medicines from being absorbed: take medicines at least 1 hour before or 2 hours after the fiber."
        case "S17": "Cholesterol binders (such as cholestyramine) keep other medicines from being absorbed: take other medicines at least 1 hour before or 4 to 6 hours after."
        case "S18": "Zuranolone causes strong sleepiness: no driving for at least 12 hours after a dose, and no alcohol or other sedatives."
        case "S19": "Amitriptyline and similar older antidepressants can cause confusion, falls and constipation in people 65 and older."
        default: nil
        }
    }

    /// A few words naming what a safety rule is about, for a table cell on the report's first
    /// page ("serotonin syndrome risk"): the rule id stays in the report's sources.
    static func topic(_ ruleID: String) -> String {
        switch ruleID {
        case "S1": "never with an MAO inhibitor"
        case "S2": "fluoxetine needs a 5-week gap"
        case "S3": "a gap before an MAO inhibitor"
        case "S4": "serotonin syndrome risk"
        case "S5": "seizure risk with bupropion"
        case "S6": "bupropion and seizure threshold"
        case "S7": "start at half the usual dose"
        case "S8": "the dose may need lowering"
        case "S9": "daily dose cap (heart rhythm)"
        case "S10": "heart, liver and drug checks"
        case "S11": "not with some blood-vessel problems"
        case "S12": "blood pressure, drowsiness: no driving that day"
        case "S13": "Spravato and TMS not in the same course"
        case "S14": "not with seizures or metal near the head"
        case "S15": "lithium levels need checking"
        case "S16": "space it apart from fiber"
        case "S17": "space it apart from cholesterol binders"
        case "S18": "strong sleepiness: no driving for 12 hours"
        case "S19": "confusion and falls after 65"
        case "S20": "bleeding risk with pain relievers or blood thinners"
        default: "a safety note"
        }
    }
}
