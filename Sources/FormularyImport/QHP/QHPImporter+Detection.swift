import Foundation
import ZIPFoundation

extension QHPImporter {
    /// True when `url` holds CMS QHP JSON, judged by content: a file that sniffs as plans.json,
    /// drugs.json or cms-data-index.json; a folder or zip with such a `.json` file. Cheap: it
    /// reads only the first element of at most 50 files, never a whole drugs.json.
    public static func recognizes(_ url: URL) -> Bool {
        ContentSniffer.holds(url, extensions: ["json"], where: isQHP)
    }

    private static func isQHP(_ file: InputFile) -> Bool {
        switch QHPFileKind.sniff(file) {
        case .plans, .drugs, .index: true
        case .providers, .unknown: false
        }
    }
}
