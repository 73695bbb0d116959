import WeightsKit

/// A one-line progress bar on stderr (bytes, rate, ETA), drawn only when stderr is a
/// terminal and not silenced; redrawn at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && System.isTerminal(2) && total > 0
        started = clock.now
        lastDraw = started
    }

    func advance(by bytes: Int) {
        done += bytes
        guard enabled, clock.now - lastDraw > .milliseconds(100) else { return }
        lastDraw = clock.now
        draw()
    }

    func finish() {
        guard enabled else { return }
        draw()
        Output.writeStderr("\n")
    }

    private func draw() {
        let seconds = max((clock.now - started).seconds, 1e-6)
        let fraction = min(1, Double(done) / Double(total))
        let rate = Double(done) / seconds
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        Output.writeStderr("\r[\(bar)] \(Output.fixed(fraction * 100, 0))% \(Output.humanBytes(done)) of \(Output.humanBytes(total)), "
            + "\(Output.humanBytes(Int(rate)))/s, ETA \(Output.fixed(eta, 0)) s   ")
    }
}
