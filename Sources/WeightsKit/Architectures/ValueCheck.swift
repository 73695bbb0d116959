/// The checks that read every value once: NaN and infinity anywhere, all-zero weight
/// matrices and embedding tables (a bias may be zero; a zero matrix is a lost tensor),
/// and for WeightPack files the stored CRCs.
enum ValueCheck {
    /// `zeroChecked`: names (as the file spells them) of the tensors that must not be all zero.
    static func problems(_ source: any TensorSource, zeroChecked: Set<ExactName>) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        var damaged = Set<ExactName>()
        for error in source.verifyChecksums() ?? [] {
            problems.append(checksumProblem(error.reason))
            if let tensor = error.reason.tensor { damaged.insert(tensor.exact) }
        }
        // The values of a damaged payload are noise; its checksum problem says all there is.
        for info in source.tensors where (info.encoding != .plain || info.dtype.isFloatingPoint) && !damaged.contains(info.name.exact) {
            let view: TensorView?
            do {
                view = try source.view(info.name)
            } catch {
                problems.append(ValidationProblem(code: .checksum, tensor: info.name, message: "tensor \"\(info.name)\": cannot be read (\(error))"))
                continue
            }
            guard let view, let statistics = TensorStatistics.compute(view) else { continue }
            view.releasePages()
            let nonFinite = statistics.nanCount + statistics.infinityCount
            if nonFinite > 0 {
                let counts = "\(statistics.nanCount) NaN, \(statistics.infinityCount) infinite"
                problems.append(ValidationProblem(
                    code: .nonfinite, tensor: info.name, expected: .text("finite values"), actual: .text(counts),
                    message: "tensor \"\(info.name)\": \(counts) of \(statistics.count) values"))
            }
            let allZero = statistics.count > 0 && statistics.finiteCount == statistics.count
                && statistics.minimum == 0 && statistics.maximum == 0
            if allZero && zeroChecked.contains(info.name.exact) {
                problems.append(ValidationProblem(
                    code: .zero, tensor: info.name, expected: .text("non-zero values"), actual: .text("all zero"),
                    message: "tensor \"\(info.name)\": all \(statistics.count) values are zero (a weight lost in export?)"))
            }
        }
        return problems
    }

    private static func checksumProblem(_ error: WeightsFileError.Reason) -> ValidationProblem {
        let subject = error.tensor.map { "tensor \"\($0)\"" } ?? "file"
        switch error {
        case let .weightPack(.payloadChecksum(tensor, stored, computed)):
            return ValidationProblem(
                code: .checksum, tensor: tensor, expected: .text(hex(stored)), actual: .text(hex(computed)),
                message: "\(subject): payload CRC-32 is \(hex(computed)) but the file records \(hex(stored)): the data is damaged")
        case .weightPack(.decompression):
            return ValidationProblem(code: .checksum, tensor: error.tensor,
                                     message: "\(subject): compressed payload does not inflate to its declared size")
        case let .weightPack(.nonZeroPadding(tensor, offset)):
            return ValidationProblem(code: .checksum, tensor: tensor,
                                     message: "\(subject): padding byte at offset \(offset) before the payload is not zero")
        default:
            return ValidationProblem(code: .checksum, tensor: error.tensor, message: "\(subject): \(error)")
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
