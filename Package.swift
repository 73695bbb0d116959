// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "weights",
    // Synchronization's `Mutex` needs macOS 15 / iOS 18.
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        // MARK: public products
        .library(name: "WeightsKit", targets: ["WeightsKit"]),
        .library(name: "EmbeddingCore", targets: ["EmbeddingCore"]),
        .executable(name: "weights", targets: ["weights"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `make docs`: the DocC catalogs in Sources/*/*.docc (swift package generate-documentation).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // MARK: system libraries (C types stay behind `internal import` in WeightsKit)
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"]), .brew(["json-c"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: implementation
        .target(name: "CKernels"),
        // OpenBLAS (or WEIGHTS_BLAS) off Apple platforms, dlopen()ed on the first product so
        // that start-up never loads it; Accelerate provides CBLAS on Apple platforms.
        .target(name: "CBLASLoader", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(
            name: "WeightsKit",
            dependencies: ["CJSONC", "CZlib", "CKernels"]
        ),
        .target(
            name: "EmbeddingCore",
            dependencies: ["WeightsKit", .target(name: "CBLASLoader", condition: .when(platforms: [.linux])), "CKernels"],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS]))]
        ),
        .executableTarget(
            name: "weights",
            dependencies: [
                "WeightsKit",
                "EmbeddingCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: examples (README's "Library" section is Examples/ReadmeExample/main.swift, verbatim)
        .executableTarget(
            name: "readme-example",
            dependencies: ["WeightsKit", "EmbeddingCore"],
            path: "Examples/ReadmeExample"
        ),

        // MARK: tests
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "WeightsKitTests", dependencies: ["WeightsKit", "TestSupport"]),
        .testTarget(name: "EmbeddingCoreTests", dependencies: ["EmbeddingCore", "TestSupport"]),
        // Depends on the executable so `swift test` rebuilds the binary the suite runs
        // (found beside the test bundle, see CLIRunner.swift): never a stale one.
        .testTarget(
            name: "WeightsCLITests",
            dependencies: ["WeightsKit", "TestSupport", .target(name: "weights"), "readme-example"],
            exclude: ["Golden"]  // expected human output, read by path (GoldenCLITests.swift)
        ),
    ]
)
