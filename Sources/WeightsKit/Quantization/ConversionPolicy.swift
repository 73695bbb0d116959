/// (Regex values are immutable once compiled, hence the unchecked Sendable.)
/// Which tensors a `convert --dtype` changes, and why each other one is kept: the
/// rules as data, recorded in the output's metadata.
///
/// Default rules (quantizing or narrowing): a floating-point tensor whose name ends in
/// `weight`, with at least 2 dimensions and at least 1,024 elements, that is not a
/// LayerNorm or a position / relative-position embedding. `--keep` patterns keep what
/// they match; `--only` patterns replace the default rules (exactly the floating-point
/// tensors they match are converted, whatever their shape). Widening (to F32, or from a
/// quantized encoding to any float type) applies to every tensor, whatever its name.
public struct ConversionPolicy: @unchecked Sendable {
    public enum Target: String, Sendable, CaseIterable {
        case f32, f16, bf16
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
            default: nil
            }
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Rewrite the tensor as `encoding` (with `dtype` the element type for plain, or
        /// the original dtype for quantized encodings).
        case convert(dtype: DType, encoding: TensorEncoding)
        case keep(reason: String)
    }

    public static let minimumElements = 1024

    public let target: Target
    public let keepPatterns: [String]
    public let onlyPatterns: [String]
    private let keep: [Regex<AnyRegexOutput>]
    private let only: [Regex<AnyRegexOutput>]

    /// Fails with the offending pattern when a regular expression does not compile.
    public init(target: Target, keep: [String] = [], only: [String] = []) throws(PolicyError) {
        self.target = target
        keepPatterns = keep
        onlyPatterns = only
        self.keep = try ConversionPolicy.compile(keep, option: "--keep")
        self.only = try ConversionPolicy.compile(only, option: "--only")
    }

    private static func compile(_ patterns: [String], option: String) throws(PolicyError) -> [Regex<AnyRegexOutput>] {
        var compiled: [Regex<AnyRegexOutput>] = []
        for pattern in patterns {
            do { compiled.append(try Regex(pattern).matchingSemantics(.unicodeScalar)) } catch { throw PolicyError.invalidPattern(option: option, pattern: pattern) }
        }
        return compiled
    }

    public func decide(_ info: TensorInfo) -> Decision {
        let isFloat = info.dtype.isFloatingPoint && (info.encoding != .plain || FloatConversion.supports(from: info.dtype, to: .f32))
        guard isFloat else { return .keep(reason: "not a floating-point tensor (\(info.dtype.name))") }

        // Dequantizing and widening apply to every tensor.
        if let dtype = target.dtype {
            if info.encoding != .plain { return .convert(dtype: dtype, encoding: .plain) }
            if info.dtype == dtype { return .keep(reason: "already \(dtype.name)") }
            if dtype == .f32 { return .convert(dtype: .f32, encoding: .plain) }
        } else if info.encoding != .plain {
            return info.encoding == target.encoding ? .keep(reason: "already \(info.encoding.rawValue)")
                : .keep(reason: "already quantized (\(info.encoding.rawValue)); convert to f32 first to re-quantize")
        }

        if let pattern = keepPatterns.indices.first(where: { info.name.contains(keep[$0]) }) {
            return .keep(reason: "--keep \(keepPatterns[pattern])")
        }
        if !only.isEmpty {
            guard only.contains(where: { info.name.contains($0) }) else { return .keep(reason: "not matched by --only") }
        } else if let reason = defaultRuleKeeping(info) {
            return .keep(reason: reason)
        }
        if target == .q8_0 && (info.shape.rank == 0 || (info.shape.dims.last ?? 0) % TensorEncoding.q8BlockLength != 0) {
            return .keep(reason: "q8_0 needs rows that are a multiple of 32 (shape \(info.shape))")
        }
        return .convert(dtype: target.dtype ?? info.dtype, encoding: target.encoding)
    }

    /// The default rule that keeps `info`, or nil when the default rules select it.
    private func defaultRuleKeeping(_ info: TensorInfo) -> String? {
        let lowered = info.name.lowercased()
        if lowered.containsBytes("layernorm") || lowered.containsBytes("layer_norm") { return "LayerNorm" }
        if lowered.containsBytes("rel_embeddings") { return "relative-position embeddings" }
        if lowered.containsBytes("position_embeddings") { return "position embeddings" }
        if !info.name.hasByteSuffix("weight") { return "name does not end in \"weight\"" }
        if info.shape.rank < 2 { return "fewer than 2 dimensions" }
        if info.elementCount < ConversionPolicy.minimumElements { return "fewer than 1,024 elements" }
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

    public static let metadataKey = "weights.policy"
}

public enum PolicyError: Error, CustomStringConvertible, Equatable {
    case invalidPattern(option: String, pattern: String)

    public var description: String {
        switch self {
        case let .invalidPattern(option, pattern): "\(option) \(pattern): not a valid regular expression"
        }
    }
}
