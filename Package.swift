// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "weights",
    products: [
        // MARK: public products
        .library(name: "WeightsKit", targets: ["WeightsKit"]),
        .library(name: "EmbeddingCore", targets: ["EmbeddingCore"]),
        .executable(name: "weights", targets: ["weights"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: system libraries (C types stay behind `internal import` in WeightsKit)
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: implementation
        .target(name: "CKernels"),
        .target(
            name: "WeightsKit",
            dependencies: ["CJSONC", "CZlib", "CKernels"]
        ),
        .target(name: "EmbeddingCore", dependencies: ["WeightsKit", "CBLAS", "CKernels"]),
        .executableTarget(
            name: "weights",
            dependencies: [
                "WeightsKit",
                "EmbeddingCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: tests
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "WeightsKitTests", dependencies: ["WeightsKit", "TestSupport"]),
        .testTarget(name: "EmbeddingCoreTests", dependencies: ["EmbeddingCore", "TestSupport"]),
        // Depends on the executable so `swift test` rebuilds the binary the suite runs
        // (found beside the test bundle, see CLIRunner.swift): never a stale one.
        .testTarget(
            name: "WeightsCLITests",
            dependencies: ["WeightsKit", "TestSupport", .target(name: "weights")],
            exclude: ["Golden"]  // expected human output, read by path (GoldenCLITests.swift)
        ),
    ]
)
