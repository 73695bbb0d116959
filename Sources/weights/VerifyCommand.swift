import ArgumentParser
import WeightsKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a model file's integrity, reading every byte.",
        discussion: """
        WeightPack: checks the header CRC, every payload's CRC-32, that compressed
        payloads inflate, and that padding is zero. On damage it exits 1 naming the
        first damaged tensor and counting all of them. safetensors: checks the
        structure (as every command does) and reads every byte, so an unreadable
        sector or a file cut short shows up here. GGUF: stores no checksums; checks
        the structure as gguf.cpp does (every tensor aligned, in order, inside the
        file) and reads every byte of every tensor.

        Exit status: 0 intact, 1 damaged or unreadable, 64 usage error.

        Example:
          weights verify model.wpk
        """
    )

    @Argument(help: "A .wpk, .safetensors or .gguf file, an index.json, a model directory, or ORG/NAME[@REVISION] in the Hugging Face cache.")
    var path: String

    func run() throws {
        let path = try ModelArgument.resolve(self.path)
        let source = try reportingFailures { try ModelLoader.open(path) }
        let clock = ContinuousClock()
        let start = clock.now
        if let problems = source.verifyChecksums() {
            if let first = problems.first {
                let tensors = Set(problems.compactMap(\.reason.tensor)).count
                throw Failure("\(path): \(first.reason) (\(tensors) of \(source.tensors.count) tensors damaged, \(problems.count) problems in all)")
            }
        } else {
            for view in try reportingFailures({ try source.views() }) {
                _ = view.withUnsafeBytes { CRC32.checksum($0) }
                view.releasePages()
            }
        }
        let seconds = (clock.now - start).seconds
        let bytes = SaturatingCount(summing: source.paths.compactMap { Paths.size($0) })
        print("ok: \(source.tensors.count) tensors, \(Output.grouped(bytes)) bytes verified in \(Output.fixed(seconds, 3)) s"
            + (seconds > 0 ? " (\(Output.fixed(Double(bytes.value) / seconds / 1e9, 2)) GB/s)" : "")
            + (source.format == "gguf" ? "; GGUF stores no checksums: every tensor is within bounds and readable" : ""))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
