import Foundation
import Testing

/// The binary the CLI suites run is the one built with them (see CLI.productsDirectory).
@Suite("the weights binary under test")
struct BinaryCLITests {
    @Test("is the executable built beside this test bundle (or WEIGHTS_BIN), and it runs")
    func builtWithTheBundle() throws {
        if ProcessInfo.processInfo.environment["WEIGHTS_BIN"] == nil {
            #expect(CLI.binary == CLI.productsDirectory.appendingPathComponent("weights").path)
        }
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary), "\(CLI.binary) is missing")
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: weights"))
    }
}
