// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Roster",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "roster", targets: ["roster"]),
        .executable(name: "roster-bench", targets: ["roster-bench"]),
        // For the fuzzing package in Fuzz/, which depends on this one by path.
        .library(name: "RosterCore", targets: ["RosterCore"]),
        .library(name: "RosterProviders", targets: ["RosterProviders"]),
        .library(name: "RosterEngine", targets: ["RosterEngine"]),
        .library(name: "RosterTUI", targets: ["RosterTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "RosterCore"),
        .target(name: "CFilesystem"),
        .target(
            name: "RosterProviders",
            dependencies: [
                "RosterCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "RosterSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(name: "RosterTUI", dependencies: ["RosterCore", "CNcurses"], plugins: ["EmbedThemesPlugin"]),
        // themes/*.toml built into RosterTUI at build time (the only copy of each theme).
        .plugin(name: "EmbedThemesPlugin", capability: .buildTool()),
        // The executable's logic, testable: the journal and its store, the one deletion policy,
        // reconciling and restoring, plan files, profiles, the exporter. No network or terminal
        // library: providers come in through RosterCore's protocol. SQLite is vapor/sqlite-nio's
        // compiled-in copy, called directly.
        .target(
            name: "RosterEngine",
            dependencies: [
                "RosterCore", "CFilesystem",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // A team's journal in PostgreSQL (vapor/postgres-nio on its own event loop), through
        // RosterEngine's store protocol. Apart from RosterEngine so that the fuzz builds, which
        // reach the engine's readers, do not build a database client.
        .target(
            name: "RosterTeam",
            dependencies: [
                "RosterCore", "RosterEngine",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "roster",
            dependencies: [
                "RosterCore", "RosterEngine", "RosterTeam", "RosterProviders", "RosterSandbox", "RosterTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "roster-bench",
            dependencies: [
                "RosterSandbox", "RosterCore", "RosterTUI", "RosterEngine", "RosterProviders", "RosterTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // What the tests share: a sandbox on loopback and a provider talking to it over real HTTP.
        .target(name: "RosterTestSupport", dependencies: ["RosterCore", "RosterProviders", "RosterSandbox"]),
        .testTarget(name: "RosterCoreTests", dependencies: ["RosterCore"]),
        .testTarget(
            name: "RosterEngineTests", dependencies: ["RosterEngine", "RosterTeam", "RosterCore", "RosterProviders", "RosterSandbox", "RosterTestSupport"]),
        .testTarget(name: "RosterProvidersTests", dependencies: ["RosterProviders", "RosterSandbox", "RosterCore", "RosterTestSupport"]),
        .testTarget(name: "RosterSandboxTests", dependencies: ["RosterSandbox"]),
        .testTarget(name: "RosterTUITests", dependencies: ["RosterTUI", "RosterCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["RosterSandbox", "RosterCore", "RosterTestSupport"]),
    ]
)
