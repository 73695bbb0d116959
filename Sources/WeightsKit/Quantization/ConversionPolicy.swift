/// Which tensors a `convert --dtype` changes, and why each other one is kept: the
/// rules as data, recorded in the output's metadata.
///
/// Default rules (quantizing or narrowing): a floating-point tensor whose name ends in
/// `weight`, with at least 2 dimensions and at least 1,024 elements, that is not a
/// LayerNorm or a position / relative-position embedding. `--keep` patterns keep what
/// they match; `--only` patterns replace the default rules (exactly the floating-point
/// tensors they match are converted, whatever their shape). Widening (to F32, or from a
/// quantized encoding to any float type) applies to every tensor, whatever its name.
///
/// Sendable is unchecked because of the `Regex` patterns, which are immutable once compiled.
public struct ConversionPolicy: @unchecked Sendable {
    public enum Target: String, Sendable, CaseIterable {
        case f32, f16, bf16
        case f8E4M3 = "f8_e4m3"
        case f8E5M2 = "f8_e5m2"
        case int8 = "int8"
        case q8_0 = "q8_0"

        /// The stored form a converted tensor gets.
        public var encoding: TensorEncoding {
            switch self {
            case .int8: .int8PerRow
            case .q8_0: .q8_0
            default: .plain
            }
        }

        public var dtype: DType? {
            switch self {
            case .f32: .f32
            case .f16: .f16
            case .bf16: .bf16
            case .f8E4M3: .f8E4M3
            case .f8E5M2: .f8E5M2
            default: nil
            }
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Rewrite the tensor as `encoding` (with `dtype` the element type for plain, or
        /// the original dtype for quantized encodings).
        case convert(dtype: DType, encoding: TensorEncoding)
        case keep(reason: KeepReason)
    }

    static let minimumElements = 1024

    public let target: Target
    let keepPatterns: [String]
    let onlyPatterns: [String]
    private let keep: [Regex<AnyRegexOutput>]
    private let only: [Regex<AnyRegexOutput>]

    /// Fails with the offending pattern when a regular expression does not compile.
    public init(target: Target, keep: [String] = [], only: [String] = []) throws(PolicyError) {
        self.target = target
        keepPatterns = keep
        onlyPatterns = only
        self.keep = try ConversionPolicy.compile(keep, list: .keep)
        self.only = try ConversionPolicy.compile(only, list: .only)
    }

    private static func compile(_ patterns: [String], list: PolicyError.PatternList) throws(PolicyError) -> [Regex<AnyRegexOutput>] {
        var compiled: [Regex<AnyRegexOutput>] = []
        for pattern in patterns {
            do { compiled.append(try Regex(pattern).matchingSemantics(.unicodeScalar)) } catch { throw PolicyError.invalidPattern(list: list, pattern: pattern) }
        }
        return compiled
    }

    func decide(_ info: TensorInfo) -> Decision {
        // Plain tensors: every float type we decode exactly (the 8-bit floats and E8M0 scales too).
        let isFloat = info.encoding != .plain ? info.dtype.isFloatingPoint : FloatConversion.supports(from: info.dtype, to: .f32)
        guard isFloat else { return .keep(reason: info.dtype.isFloatingPoint ? .floatNotDecoded(info.dtype) : .notFloatingPoint(info.dtype)) }

        // Dequantizing and widening apply to every tensor.
        if let dtype = target.dtype {
            if info.encoding != .plain { return .convert(dtype: dtype, encoding: .plain) }
            if info.dtype == dtype { return .keep(reason: .alreadyTarget(dtype)) }
            if dtype == .f32 { return .convert(dtype: .f32, encoding: .plain) }
        } else if info.encoding != .plain {
            return .keep(reason: info.encoding == target.encoding ? .alreadyEncoded(info.encoding) : .alreadyQuantized(info.encoding))
        }

        if let pattern = keepPatterns.indices.first(where: { info.name.contains(keep[$0]) }) {
            return .keep(reason: .keepPattern(keepPatterns[pattern]))
        }
        if !only.isEmpty {
            guard only.contains(where: { info.name.contains($0) }) else { return .keep(reason: .notMatchedByOnlyPatterns) }
        } else if let reason = defaultRuleKeeping(info) {
            return .keep(reason: reason)
        }
        if target == .q8_0 && (info.shape.rank == 0 || (info.shape.dims.last ?? 0) % TensorEncoding.q8BlockLength != 0) {
            return .keep(reason: .rowsNotMultipleOfBlock(info.shape))
        }
        return .convert(dtype: target.dtype ?? info.dtype, encoding: target.encoding)
    }

    /// The default rule that keeps `info`, or nil when the default rules select it.
    private func defaultRuleKeeping(_ info: TensorInfo) -> KeepReason? {
        let lowered = info.name.lowercased()
        if lowered.containsBytes("layernorm") || lowered.containsBytes("layer_norm") { return .layerNorm }
        if lowered.containsBytes("rel_embeddings") { return .relativePositionEmbeddings }
        if lowered.containsBytes("position_embeddings") { return .positionEmbeddings }
        if !info.name.hasByteSuffix("weight") { return .nameNotEndingInWeight }
        if info.shape.rank < 2 { return .fewerThanTwoDimensions }
        if info.elementCount < ConversionPolicy.minimumElements { return .fewerThanMinimumElements }
        return nil
    }

    /// The policy as recorded in the output's `__metadata__` under `weights.policy`.
    public var metadataValue: String {
        var object: [String: JSONValue] = ["dtype": .string(target.rawValue)]
        if !keepPatterns.isEmpty { object["keep"] = .array(keepPatterns.map(JSONValue.string)) }
        if only.isEmpty {
            object["rules"] = .string("floating-point, name ends in weight, rank >= 2, >= 1024 elements, not LayerNorm or position embeddings")
        } else {
            object["only"] = .array(onlyPatterns.map(JSONValue.string))
        }
        return JSONValue.object(object).rendered(pretty: false)
    }

    static let metadataKey = "weights.policy"
}

public enum PolicyError: Error, CustomStringConvertible, Equatable {
    /// The patterns a policy is given: those that keep, and those that select.
    public enum PatternList: String, Sendable {
        case keep, only
    }

    case invalidPattern(list: PatternList, pattern: String)

    public var description: String {
        switch self {
        case let .invalidPattern(list, pattern): "\(list.rawValue) pattern \(pattern): not a valid regular expression"
        }
    }
}
