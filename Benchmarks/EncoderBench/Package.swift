// swift-tools-version:6.0
// The inference-core and conversion-kernel benchmarks, their own package so library users never resolve them.
import PackageDescription

let package = Package(
    name: "EncoderBench",
    // Benchmarks/encoder.sh links the repository at .build/pkg/weights, so the identity is "weights".
    dependencies: [.package(path: "../../.build/pkg/weights")],
    targets: [
        .executableTarget(
            name: "encoder-bench",
            dependencies: [.product(name: "EmbeddingCore", package: "weights"), .product(name: "WeightsKit", package: "weights")]
        ),
        .executableTarget(
            name: "table-bench",
            dependencies: [.product(name: "EmbeddingCore", package: "weights"), .product(name: "WeightsKit", package: "weights")]
        ),
        .executableTarget(
            name: "tokenizer-bench",
            dependencies: [.product(name: "EmbeddingCore", package: "weights")]
        ),
    ]
)
