// swift-tools-version:6.1
// formulary: what a person's insurance will cover next for treatment-resistant depression,
// and what stands in the way. See README.md for the architecture.
import PackageDescription

/// Strictness every target opts into: explicit `any`, imports visible only where declared.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "formulary",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "formulary", targets: ["formulary"]),
        .library(name: "FormularyModel", targets: ["FormularyModel"]),
        .library(name: "FormularyImport", targets: ["FormularyImport"]),
        .library(name: "FormularyStore", targets: ["FormularyStore"]),
        .library(name: "FormularyCriteria", targets: ["FormularyCriteria"]),
        .library(name: "FormularyAnalysis", targets: ["FormularyAnalysis"]),
        .library(name: "FormularyRefresh", targets: ["FormularyRefresh"]),
        .library(name: "FormularyReports", targets: ["FormularyReports"]),
        .library(name: "FormularyWatch", targets: ["FormularyWatch"]),
        .library(name: "FormularyRecords", targets: ["FormularyRecords"]),
        .library(name: "FormularyApp", targets: ["FormularyApp"]),
        .library(name: "FormularyServer", targets: ["FormularyServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        // The clinic web app and JSON API (`formulary serve`); traits off: no swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    ],
    targets: [
        // libxml2, for the streaming FHIR XML reader. See Sources/CLibXML2/shim.h for the ICU note.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // Pure value types: the normalized tier model. No I/O, no SQL, no files.
        .target(
            name: "FormularyModel",
            swiftSettings: strictSettings
        ),
        // Importers: formulary files in, normalized rows out through `ImportSink`. Nothing of SQL.
        .target(
            name: "FormularyImport",
            dependencies: [
                "FormularyModel", "CLibXML2",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The embedded SQLite store (GRDB): migrations, snapshots, bulk loads, queries.
        .target(
            name: "FormularyStore",
            dependencies: [
                "FormularyModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // Human-edited documents the analysis reads: criteria (ST/PA rules, versioned), patient
        // profiles and the drug reference, with validation errors that name file, line and rule.
        .target(
            name: "FormularyCriteria",
            dependencies: [
                "FormularyModel",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // The analyzer: verdicts, step-therapy paths, PA criteria and safety findings for the next
        // treatment options. Pure: reads formulary facts through `CoverageProvider`, never SQL.
        .target(
            name: "FormularyAnalysis",
            dependencies: ["FormularyModel", "FormularyCriteria"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // Reports for people: coverage report, PA pre-check sheet, plan comparison, in HTML,
        // Markdown and JSON, rendered from the analyzer's documented output (never recomputed).
        .target(
            name: "FormularyReports",
            dependencies: [
                "FormularyModel", "FormularyAnalysis", "FormularyCriteria",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        // The watchlist: saved patients re-analyzed after a refresh, and alerts when a verdict flips.
        .target(
            name: "FormularyWatch",
            dependencies: ["FormularyModel", "FormularyStore", "FormularyCriteria", "FormularyAnalysis", "FormularyReports"],
            swiftSettings: strictSettings
        ),
        // Scheduled refresh: a sources manifest, conditional HTTP fetches, change detection, one
        // atomic snapshot per source, a lock against overlapping runs, retention.
        .target(
            name: "FormularyRefresh",
            dependencies: [
                "FormularyModel",
                "FormularyImport",
                "FormularyStore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Patient records in: FHIR claims and chart data (Blue Button, CARIN, US Core), score series and
        // home-monitoring logs merged into one documented patient profile, with a warning for every
        // fact skipped. Knows nothing of the analysis or SQL (NDC → RxCUI comes through a closure).
        .target(
            name: "FormularyRecords",
            dependencies: ["FormularyModel", "FormularyCriteria", "FormularyImport"],
            swiftSettings: strictSettings
        ),
        // The application layer both front ends delegate to: where the bundled data and each
        // user's state live, loading the documents, running an analysis, the watch and refresh jobs.
        .target(
            name: "FormularyApp",
            dependencies: [
                "FormularyModel",
                "FormularyImport",
                "FormularyStore",
                "FormularyCriteria",
                "FormularyAnalysis",
                "FormularyRefresh",
                "FormularyReports",
                "FormularyWatch",
                "FormularyRecords",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The web front end: pages and the JSON API over `FormularyApp`, on Hummingbird 2. A thin
        // HTTP layer: it parses requests, delegates, renders; it knows no formats or SQL.
        .target(
            name: "FormularyServer",
            dependencies: [
                "FormularyApp",
                "FormularyModel",
                "FormularyStore",
                "FormularyCriteria",
                "FormularyAnalysis",
                "FormularyReports",
                "FormularyWatch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // Records the git revision for `formulary --version` before each build.
        .plugin(
            name: "BuildInfoPlugin",
            capability: .buildTool(),
            path: "Sources/BuildInfoPlugin"
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "formulary",
            dependencies: [
                "FormularyApp",
                "FormularyServer",
                "FormularyModel",
                "FormularyImport",
                "FormularyStore",
                "FormularyCriteria",
                "FormularyAnalysis",
                "FormularyRefresh",
                "FormularyReports",
                "FormularyWatch",
                "FormularyRecords",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings,
            plugins: ["BuildInfoPlugin"]
        ),
        // The in-process analysis benchmark (Tests/Benchmarks/analyze.sh); not part of the tool.
        .executableTarget(
            name: "formulary-bench",
            dependencies: ["FormularyModel", "FormularyStore", "FormularyCriteria", "FormularyAnalysis"],
            swiftSettings: strictSettings
        ),
        // Fuzz targets for the delimited-line scanner, the JSON tokenizer and reader, and the XML
        // reader: Tests/Fuzz/run.sh builds them with libFuzzer (`--sanitize=fuzzer -Xswiftc -DFUZZING`).
        // In an ordinary build each is a replay tool (`FuzzJSON FILE…` re-runs its checks on files).
        .executableTarget(name: "FuzzDelimited", dependencies: ["FormularyImport", "FormularyModel"], swiftSettings: strictSettings),
        .executableTarget(name: "FuzzJSON", dependencies: ["FormularyImport"], swiftSettings: strictSettings),
        .executableTarget(name: "FuzzXML", dependencies: ["FormularyImport"], swiftSettings: strictSettings),
        .testTarget(
            name: "FormularyModelTests",
            dependencies: ["FormularyModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyImportTests",
            dependencies: [
                "FormularyImport", "FormularyModel",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyStoreTests",
            dependencies: ["FormularyStore", "FormularyImport", "FormularyModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyAnalysisTests",
            dependencies: ["FormularyAnalysis", "FormularyCriteria", "FormularyModel"],
            exclude: ["Scenarios"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyReportsTests",
            dependencies: ["FormularyReports", "FormularyAnalysis", "FormularyCriteria", "FormularyModel", "CLibXML2"],
            exclude: ["Fixtures", "Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyWatchTests",
            dependencies: ["FormularyWatch", "FormularyAnalysis", "FormularyCriteria", "FormularyStore", "FormularyModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyRefreshTests",
            dependencies: [
                "FormularyRefresh", "FormularyStore", "FormularyModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyRecordsTests",
            dependencies: ["FormularyRecords", "FormularyAnalysis", "FormularyCriteria", "FormularyImport", "FormularyModel"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyAppTests",
            dependencies: ["FormularyApp", "FormularyReports"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyServerTests",
            dependencies: [
                "FormularyServer", "FormularyApp", "FormularyAnalysis", "FormularyStore", "FormularyModel",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FormularyCLITests",
            dependencies: ["FormularyModel"],
            swiftSettings: strictSettings
        ),
    ]
)
