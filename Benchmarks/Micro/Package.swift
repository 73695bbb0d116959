// swift-tools-version:6.1
// Micro-benchmarks of the hot kernels with ordo-one/benchmark (package-benchmark): float
// conversion and quantization (GB/s of F32 input), an encoder layer (GFLOP/s, GEMM-bound) and
// the tokenizers (tokens/s). Thresholds for `swift package benchmark thresholds check` live in
// Thresholds/. Run through Benchmarks/micro.sh, which links the repository at .build/pkg/weights.
import PackageDescription

let package = Package(
    name: "Micro",
    dependencies: [
        .package(path: "../../.build/pkg/weights"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Kernels",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WeightsKit", package: "weights"),
                .product(name: "EmbeddingCore", package: "weights"),
            ],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
