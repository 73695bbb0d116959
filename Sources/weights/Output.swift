import WeightsKit

/// A failure already explained in one line; `main` prints it and exits 1.
struct Failure: Error {
    let message: String

    init(_ message: String) { self.message = message }
    init(_ error: any Error) { self.message = CommandLineWording.message(for: error) }
}

/// Runs `body`, turning any library error into a one-line `Failure`.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as Failure {
        throw failure
    } catch {
        throw Failure(error)
    }
}

/// stdout carries results only; diagnostics go to stderr.
enum Output {
    /// One line on stderr. Messages carry names and values read from files, so the whole
    /// message is escaped here, the one place every error and warning passes through.
    static func error(_ message: String) {
        writeStderr("weights: error: \(escaped(message))\n")
    }

    static func warning(_ message: String) {
        writeStderr("weights: warning: \(escaped(message))\n")
    }

    /// File-derived text (tensor names, metadata, tokens) as it may be shown on a terminal.
    static func escaped(_ text: String) -> String { TerminalText.escaped(text) }

    static func writeStderr(_ text: String) {
        var text = text
        text.withUTF8 { _ = System.write(2, $0.baseAddress, $0.count) }
    }

    /// `text` on stdout, in as few write(2) calls as the pipe takes.
    static func writeStdout(_ text: String) {
        var text = text
        text.withUTF8 { writeStdout(UnsafeRawBufferPointer($0)) }
    }

    /// `bytes` on stdout, in as few write(2) calls as the pipe takes.
    static func writeStdout(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let written = System.write(1, base + done, bytes.count - done)
            guard written > 0 else { return }
            done += written
        }
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ value: Int) -> String {
        var magnitude = value.magnitude
        // 20 digits, 6 commas and a sign, filled from the end.
        return String(unsafeUninitializedCapacity: 27) { buffer in
            var end = 27, digits = 0
            repeat {
                if digits > 0 && digits % 3 == 0 { end -= 1; buffer[end] = UInt8(ascii: ",") }
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                digits += 1
            } while magnitude > 0
            if value < 0 { end -= 1; buffer[end] = UInt8(ascii: "-") }
            let length = 27 - end
            for index in 0..<length { buffer[index] = buffer[end + index] }
            return length
        }
    }

    /// Bytes for people: "90.9 MB".
    static func humanBytes(_ value: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var size = Double(value)
        var unit = 0
        while size >= 1000 && unit < units.count - 1 {
            size /= 1000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : "\(fixed(size, 1)) \(units[unit])"
    }

    /// A total from a file: grouped, or "more than 9,223,372,036,854,775,807" when saturated.
    static func grouped(_ count: SaturatingCount) -> String {
        (count.isSaturated ? "more than " : "") + grouped(count.value)
    }

    /// A byte total from a file: as `humanBytes`, or "more than 9.2 EB" when saturated.
    static func humanBytes(_ count: SaturatingCount) -> String {
        (count.isSaturated ? "more than " : "") + humanBytes(count.value)
    }

    /// `value` with `digits` decimals, without Foundation's formatter.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        var fraction = String(Int(scaled.truncatingRemainder(dividingBy: scale)))
        fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// A compact, round-trippable rendering of one value: "0.0123", "-1.5e-07", "nan".
    static func value(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6) { return "\(Float(value))" }
        return fixed(value, 6).replacingTrailingZeros()
    }

    /// Columns separated by two spaces; cells in `rightAligned` columns are right-aligned.
    /// Widths count Unicode scalars (cheap, and right for the names tensors have).
    static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let columns = rows.map({ $0.count }).max() else { return "" }
        let isRightAligned = (0..<columns).map(rightAligned.contains)
        var widthsByRow: [Int] = []
        widthsByRow.reserveCapacity(rows.count * columns)
        var widths = [Int](repeating: 0, count: columns)
        var total = 0
        for row in rows {
            for (column, cell) in row.enumerated() {
                let width = scalarCount(cell)
                widthsByRow.append(width)
                widths[column] = max(widths[column], width)
                total += cell.utf8.count
            }
        }
        var text: [UInt8] = []
        text.reserveCapacity(total + rows.count * (widths.reduce(0, +) + 2 * columns + 1))
        let space = UInt8(ascii: " ")
        var cellIndex = 0
        for row in rows {
            for (column, cell) in row.enumerated() {
                let padding = widths[column] - widthsByRow[cellIndex]
                cellIndex += 1
                let isLast = column == row.count - 1
                if isRightAligned[column] { text.append(contentsOf: repeatElement(space, count: padding)) }
                var cell = cell
                cell.withUTF8 { text.append(contentsOf: $0) }
                if !isRightAligned[column] && !isLast { text.append(contentsOf: repeatElement(space, count: padding)) }
                if !isLast { text.append(space); text.append(space) }
            }
            text.append(UInt8(ascii: "\n"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Unicode scalars in `text`: its UTF-8 bytes that do not continue a sequence.
    private static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }
}

extension String {
    /// "0.500000" → "0.5", "2.000000" → "2".
    func replacingTrailingZeros() -> String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
