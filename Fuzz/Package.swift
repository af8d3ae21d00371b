// swift-tools-version:6.2
import PackageDescription

// libFuzzer targets for every reader of input Roster does not control: list pages in both
// dialects, rate-limit headers, queries, config, themes, plans and the old journal file.
// This package depends on Roster's by path and is built only by `scripts/fuzz.sh`, with
// `-sanitize=fuzzer,address -parse-as-library`: each target's `main` is libFuzzer's, and it
// never reaches `roster` or `roster-bench`.
let readers: [(name: String, library: String)] = [
    ("sendme123-page", "RosterProviders"),
    ("easify-page", "RosterProviders"),
    ("rate-limit-headers", "RosterCore"),
    ("query", "RosterCore"),
    ("config", "RosterEngine"),
    ("theme", "RosterTUI"),
    ("plan", "RosterEngine"),
    ("old-journal", "RosterEngine"),
]

let package = Package(
    name: "RosterFuzz",
    platforms: [.macOS(.v15)],
    products: readers.map { .executable(name: "fuzz-\($0.name)", targets: ["fuzz-\($0.name)"]) },
    dependencies: [.package(name: "Roster", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .target(name: "FuzzReplies", dependencies: [.product(name: "RosterProviders", package: "Roster")]),
    ] + readers.map { reader in
        .executableTarget(
            name: "fuzz-\(reader.name)",
            dependencies: [
                "FuzzDriver",
                .product(name: reader.library, package: "Roster"),
                .product(name: "RosterCore", package: "Roster"),
            ] + (reader.library == "RosterProviders" ? ["FuzzReplies"] : []),
            path: "Sources/\(reader.name)")
    }
)
