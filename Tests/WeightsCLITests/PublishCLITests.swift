import Foundation
import Testing

/// How outputs appear: only when complete, never over an existing name without --force,
/// never over an input, and nothing left behind by a failure, a signal or kill -9.
@Suite("weights convert: publishing outputs", .serialized)
struct PublishCLITests {
    /// A safetensors file with one F32 tensor per entry of `sizes` (payload bytes, each a
    /// multiple of 4), named w0, w1, ...; payload bytes vary so shards differ.
    static func makeInput(_ path: String, sizes: [Int]) {
        var entries: [String] = []
        var offset = 0
        for (position, size) in sizes.enumerated() {
            entries.append(#""w\#(position)":{"dtype":"F32","shape":[\#(size / 4)],"data_offsets":[\#(offset),\#(offset + size)]}"#)
            offset += size
        }
        var json = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
        bytes += (0..<offset).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        writeBytes(bytes, to: path)
    }

    /// Starts `weights ARGS` with extra environment, stdout and stderr to pipes.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    /// Why a convert started with --stop-before-last-tensor was not caught there.
    struct NeverStopped: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `weights ARGS --stop-before-last-tensor` and waits until convert has stopped
    /// itself there (SIGSTOP): OUT open with every other tensor written, nothing published.
    /// Throws, so the test fails, when it ended or did not stop within a minute instead:
    /// a test that could not reach the stop has checked nothing.
    static func startStopped(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe) {
        let (process, err) = try start(arguments + ["--stop-before-last-tensor"], environment: environment)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            if isStopped(process) { return (process, err) }
            usleep(1000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let ending = "\(process.terminationReason == .exit ? "exit status" : "signal") \(process.terminationStatus)"
        throw NeverStopped(description: "convert never stopped before its last tensor (\(ending)): \(text)")
    }

    /// True when `process` is stopped (state T in /proc/PID/stat, after the command name).
    static func isStopped(_ process: Process) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let name = stat.lastIndex(of: ")") else { return false }
        return stat[name...].dropFirst().drop(while: { $0 == " " }).first == "T"
    }

    /// True when `process` holds a file open in `directory` (or below) other than the
    /// input: the output being written.
    static func holdsOutput(_ process: Process, in directory: String) -> Bool {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd")) ?? []
        return fds.contains { fd in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.processIdentifier)/fd/\(fd)") else { return false }
            return target.hasPrefix(directory + "/") && target != directory + "/in.safetensors"
        }
    }

    @Test("two converts racing for one OUT without --force: exactly one wins, the other says file exists",
          arguments: [[:], ["WEIGHTS_NO_O_TMPFILE": "1"]])
    func racingWriters(_ environment: [String: String]) throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        Self.makeInput(input, sizes: [8 << 20])
        #expect(try CLI.run(["convert", input, directory.file("reference.safetensors"), "--no-sync"]).status == 0)
        for round in 0..<5 {
            let out = directory.file("out\(round).safetensors")
            let runs = try (0..<2).map { _ in try Self.start(["convert", input, out, "--no-sync"], environment: environment) }
            var statuses: [Int32] = []
            var errors: [String] = []
            for (process, err) in runs {
                let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                statuses.append(process.terminationStatus)
                errors.append(text)
            }
            #expect(statuses.sorted() == [0, 1], "round \(round): \(errors)")
            #expect(errors.filter { $0.contains("file exists") }.count == 1, "\(errors)")
            #expect(FileManager.default.contentsEqual(atPath: out, andPath: directory.file("reference.safetensors")))
        }
        #expect(directory.contents == ["in.safetensors", "out0.safetensors", "out1.safetensors", "out2.safetensors", "out3.safetensors",
                                       "out4.safetensors", "reference.safetensors"])
    }

    @Test("a dangling symlink as OUT is kept without --force, and replaced (not followed) with it")
    func danglingSymlink() throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        Self.makeInput(input, sizes: [64])
        try FileManager.default.createSymbolicLink(atPath: directory.file("out.safetensors"), withDestinationPath: "target.safetensors")
        let refused = try CLI.run(["convert", input, directory.file("out.safetensors")])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("out.safetensors: cannot write: file exists (use --force to replace it)"), "\(refused.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("out.safetensors")) == "target.safetensors")
        #expect(directory.contents == ["in.safetensors", "out.safetensors"])

        #expect(try CLI.run(["convert", input, directory.file("out.safetensors"), "--force"]).status == 0)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: directory.file("out.safetensors"))) == nil)
        #expect(directory.contents == ["in.safetensors", "out.safetensors"])
    }

    @Test("an OUT name of 250 bytes works, with and without O_TMPFILE", arguments: [[:], ["WEIGHTS_NO_O_TMPFILE": "1"]])
    func longName(_ environment: [String: String]) throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        Self.makeInput(input, sizes: [64])
        let name = String(repeating: "n", count: 250 - ".safetensors".count) + ".safetensors"
        #expect(name.utf8.count == 250)
        for force in [false, true] {
            let (process, err) = try Self.start(["convert", input, directory.file(name)] + (force ? ["--force"] : []), environment: environment)
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
        }
        #expect(directory.contents == ["in.safetensors", name].sorted())
    }

    @Test("a sharded write that fails on shard 2 of 4 (ulimit -f) leaves no shard and no index")
    func shardedFailureLeavesNothing() throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        // Shards of 16 kB, 128 kB, 16 kB, 16 kB; a 64 kB file-size limit stops shard 2.
        Self.makeInput(input, sizes: [16 << 10, 128 << 10, 16 << 10, 16 << 10])
        try FileManager.default.createDirectory(atPath: directory.file("out"), withIntermediateDirectories: false)
        let result = try CLI.run(["convert", input, directory.file("out/model.safetensors"), "--shard-size", "20kB"], shellPrefix: "ulimit -f 64")
        #expect(result.status == 1)
        #expect(result.stderr.contains("model-00002-of-00004.safetensors: cannot write: File too large"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("out")) == [])

        // The same split without the limit gives four shards and the index.
        #expect(try CLI.run(["convert", input, directory.file("out/model.safetensors"), "--shard-size", "20kB"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("out")).sorted() == [
            "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors", "model-00003-of-00004.safetensors",
            "model-00004-of-00004.safetensors", "model.safetensors.index.json",
        ])
    }

    /// Sends `signal` to a convert stopped before its last tensor (OUT open and partly
    /// written, not yet published), then lets it go on; the directory must hold only the input.
    func interrupted(by signal: Int32, environment: [String: String] = [:]) throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        Self.makeInput(input, sizes: [16 << 10, 16 << 10])
        let (process, _) = try Self.startStopped(["convert", input, directory.file("out.safetensors"), "--no-sync"], environment: environment)
        #expect(Self.holdsOutput(process, in: directory.path), "stopped without its output open")
        #expect(!directory.contents.contains("out.safetensors"), "published before its last tensor")
        if environment["WEIGHTS_NO_O_TMPFILE"] != nil {
            // The named temporary that the signal handler must remove.
            #expect(directory.contents.count == 2 && directory.contents[0].hasPrefix(".wt-"), "\(directory.contents)")
        }
        Self.signalStopped(process, with: signal)
        #expect(directory.contents == ["in.safetensors"])
    }

    /// Sends `signal` to a stopped convert, lets it go on (a stopped process takes the signal
    /// when it continues; SIGKILL acts at once) and expects it to die of that signal.
    static func signalStopped(_ process: Process, with signal: Int32) {
        kill(process.processIdentifier, signal)
        kill(process.processIdentifier, SIGCONT)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "exit status \(process.terminationStatus)")
        #expect(process.terminationStatus == signal)
    }

    @Test("a convert stopped before its last tensor and continued writes the same file as one never stopped",
          arguments: [[:], ["WEIGHTS_NO_O_TMPFILE": "1"]])
    func stoppedAndContinued(_ environment: [String: String]) throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        Self.makeInput(input, sizes: [16 << 10, 16 << 10])
        #expect(try CLI.run(["convert", input, directory.file("reference.safetensors"), "--no-sync"]).status == 0)
        let (process, err) = try Self.startStopped(["convert", input, directory.file("out.safetensors"), "--no-sync"], environment: environment)
        kill(process.processIdentifier, SIGCONT)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
        #expect(FileManager.default.contentsEqual(atPath: directory.file("out.safetensors"), andPath: directory.file("reference.safetensors")))
        #expect(directory.contents == ["in.safetensors", "out.safetensors", "reference.safetensors"])
    }

    @Test("SIGINT, SIGTERM and SIGHUP during a write leave nothing", arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalLeavesNothing(_ signal: Int32) throws {
        try interrupted(by: signal)
    }

    @Test("SIGINT, SIGTERM and SIGHUP during a write leave nothing, also with named temporaries (no O_TMPFILE)",
          arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalLeavesNothingWithoutTmpfile(_ signal: Int32) throws {
        try interrupted(by: signal, environment: ["WEIGHTS_NO_O_TMPFILE": "1"])
    }

    @Test("kill -9 during a write leaves nothing (the output has no name until complete)")
    func killLeavesNothing() throws {
        try interrupted(by: SIGKILL)
    }

    @Test("an input truncated while being converted is a one-line error naming it, with no output left",
          arguments: ["out.safetensors", "out.wpk"])
    func shrinkingInput(_ output: String) throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        // Whichever tensor is written last, its bytes run past the 4096 left after truncation.
        Self.makeInput(input, sizes: [16 << 10, 16 << 10])
        let (process, err) = try Self.startStopped(["convert", input, directory.file(output), "--no-sync"])
        #expect(Self.holdsOutput(process, in: directory.path), "stopped without its output open")
        #expect(truncate(input, 4096) == 0)
        kill(process.processIdentifier, SIGCONT)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 1)
        #expect(text == "weights: error: \(input): the file shrank while being read (truncated by another process?)\n")
        #expect(directory.contents == ["in.safetensors"])
    }

    // MARK: outputs never overwrite inputs

    @Test("--report may not name the input (directly, by symlink or hard link) or the output")
    func reportCollisions() throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        Self.makeInput(input, sizes: [64])
        let before = readBytes(input)
        try FileManager.default.createSymbolicLink(atPath: directory.file("soft.json"), withDestinationPath: "in.safetensors")
        try FileManager.default.linkItem(atPath: input, toPath: directory.file("hard.json"))
        for report in [input, directory.file("soft.json"), directory.file("hard.json"), directory.file("./in.safetensors")] {
            let result = try CLI.run(["convert", input, directory.file("out.safetensors"), "--dtype", "f16", "--report", report])
            #expect(result.status == 1)
            #expect(result.stderr == "weights: error: \(report): refusing to overwrite the input file \(input)\n")
        }
        let clash = try CLI.run(["convert", input, directory.file("out.safetensors"), "--dtype", "f16", "--report", directory.file("out.safetensors")])
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("--report names the output file"), "\(clash.stderr)")
        #expect(readBytes(input) == before)
        #expect(directory.contents == ["hard.json", "in.safetensors", "soft.json"])

        let fine = try CLI.run(["convert", input, directory.file("out.safetensors"), "--dtype", "f16", "--report", directory.file("report.json")])
        #expect(fine.status == 0, "\(fine.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(readBytes(directory.file("report.json")))) is [String: Any])
    }

    @Test("a sharded convert with --force into the input's own folder replaces no input file, index included")
    func shardedIntoInputFolder() throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        Self.makeInput(input, sizes: [16 << 10, 16 << 10, 16 << 10])
        try FileManager.default.createDirectory(atPath: directory.file("model"), withIntermediateDirectories: false)
        #expect(try CLI.run(["convert", input, directory.file("model/model.safetensors"), "--shard-size", "20kB"]).status == 0)
        let model = directory.file("model")
        let names = try FileManager.default.contentsOfDirectory(atPath: model).sorted()
        let before = names.map { readBytes(model + "/" + $0) }
        #expect(names.contains("model.safetensors.index.json"))

        // Same shard count: every shard and the index would be replaced.
        let same = try CLI.run(["convert", model, model + "/model.safetensors", "--shard-size", "20kB", "--force"])
        #expect(same.status == 1)
        #expect(same.stderr.contains("refusing to overwrite the input file"), "\(same.stderr)")
        // One shard fewer: only the index name is shared with the input.
        let index = try CLI.run(["convert", model, model + "/model.safetensors", "--shard-size", "40kB", "--force"])
        #expect(index.status == 1)
        #expect(index.stderr == "weights: error: \(model)/model.safetensors.index.json: refusing to overwrite the input file \(model)/model.safetensors.index.json\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: model).sorted() == names)
        #expect(names.map { readBytes(model + "/" + $0) } == before)
    }

    @Test("embed --output may not be the model's weights or config, even with --force")
    func embedOutputIsNotInput() throws {
        let directory = TemporaryDirectory()
        let model = directory.file("model")
        try FileManager.default.copyItem(atPath: CLI.path("SampleModels/tiny-deberta"), toPath: model)
        let weights = model + "/model.safetensors"
        let before = readBytes(weights)
        let result = try CLI.run(["embed", model, "--ids", "1,2", "--output", weights, "--force"])
        #expect(result.status == 1)
        #expect(result.stderr == "weights: error: \(weights): refusing to overwrite the input file \(weights)\n")
        #expect(readBytes(weights) == before)
    }
}
