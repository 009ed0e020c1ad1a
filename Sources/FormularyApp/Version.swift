/// The program's version, written into reports and printed by `formulary --version` (with the
/// build's git revision). Raise it with each release of the CLI, the reports or the API.
public enum FormularyVersion {
    public static let number = "0.2.0"
}
