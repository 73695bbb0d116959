import Foundation
import Testing

/// The BLAS is dlopen()ed on the first matrix product (Sources/CBLASLoader): commands that
/// multiply nothing never load it, and a missing library is a one-line error, not a crash.
@Suite("BLAS loaded on first use")
struct BLASLoadingCLITests {
    static let sample = CLI.path("SampleModels/tiny-deberta")

    #if os(Linux)
    @Test("embed with WEIGHTS_BLAS naming a missing library: exit 1, one line naming it and WEIGHTS_BLAS")
    func missingLibrary() throws {
        let result = try CLI.run(["embed", Self.sample, "--ids", "1,17,2"], shellPrefix: "export WEIGHTS_BLAS=/nonexistent/libnoblas.so")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("/nonexistent/libnoblas.so") && result.stderr.contains("WEIGHTS_BLAS"))
    }

    @Test("embed with WEIGHTS_BLAS naming a library without cblas_sgemm: exit 1, says so")
    func libraryWithoutSgemm() throws {
        let result = try CLI.run(["embed", Self.sample, "--ids", "1,17,2"], shellPrefix: "export WEIGHTS_BLAS=libz.so.1")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("libz.so.1 does not export cblas_sgemm"), "\(result.stderr)")
    }

    /// The library embed loads: OpenBLAS, or the one WEIGHTS_BLAS names when the suite itself
    /// runs under another BLAS (make test-portable's BLIS run).
    static let expectedLibrary: String = {
        guard let chosen = ProcessInfo.processInfo.environment["WEIGHTS_BLAS"], !chosen.isEmpty else { return "libopenblas" }
        return String(chosen.split(separator: "/").last ?? Substring(chosen))
    }()

    @Test("--version and inspect never load the BLAS; embed does", arguments: [["--version"], ["inspect", "SampleModels/tiny-deberta"]])
    func notLoadedAtStartUp(arguments: [String]) throws {
        let loaded = try CLI.run(arguments.map { $0.hasPrefix("Sample") ? CLI.path($0) : $0 }, shellPrefix: "export LD_DEBUG=libs")
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stderr.contains("libz.so"), "LD_DEBUG=libs lists the libraries loaded")
        #expect(!loaded.stderr.contains(Self.expectedLibrary))
        let embed = try CLI.run(["embed", Self.sample, "--ids", "1,17,2"], shellPrefix: "export LD_DEBUG=libs")
        #expect(embed.status == 0)
        #expect(embed.stderr.contains(Self.expectedLibrary), "\(Self.expectedLibrary) not loaded")
    }
    #endif
}
