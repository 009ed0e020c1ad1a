/// A status label: a symbol plus words, with a tone the stylesheet colors. The words and the
/// symbol carry the meaning; the color only repeats it.
struct Badge: Hashable, Sendable {
    enum Tone: String, Hashable, Sendable {
        case good, caution, bad, neutral, info
    }

    var tone: Tone
    var symbol: String
    var text: String
}
