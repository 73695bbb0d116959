/// Every tensor an architecture has for one config, with its shape: what `weights
/// validate` checks a file against and what `ModelTensors` resolves roles through.
public struct ModelSchema: Sendable {
    public let modelType: String
    /// In the order transformers creates them: embeddings, layers, encoder extras, pooler.
    public let tensors: [ExpectedTensor]
    package let naming: TensorNaming

    private let byName: [ExactName: Int]
    private let byRole: [TensorRole: Int]

    init(modelType: String, tensors: [ExpectedTensor]) {
        self.modelType = modelType
        self.tensors = tensors
        naming = TensorNaming.rules(for: modelType)
        var byName: [ExactName: Int] = [:]
        var byRole: [TensorRole: Int] = [:]
        for (index, tensor) in tensors.enumerated() {
            byName[tensor.name.exact] = index
            byRole[tensor.role] = index
        }
        self.byName = byName
        self.byRole = byRole
    }

    public func tensor(named canonicalName: String) -> ExpectedTensor? {
        byName[canonicalName.exact].map { tensors[$0] }
    }

    public func tensor(for role: TensorRole) -> ExpectedTensor? {
        byRole[role].map { tensors[$0] }
    }

    /// Elements in the tensors of the given presences; saturates at `Int.max` rather than
    /// overflow, since the sizes come from a config file.
    public func parameterCount(including presences: Set<ExpectedTensor.Presence> = [.required]) -> Int {
        var total = 0
        for tensor in tensors where presences.contains(tensor.presence) && tensor.kind != .buffer {
            let (sum, overflow) = total.addingReportingOverflow(tensor.shape.elementCount ?? .max)
            if overflow { return .max }
            total = sum
        }
        return total
    }
}

/// Appends expected tensors with the shapes PyTorch modules give them: `nn.Linear(in, out)`
/// stores weight [out, in] and bias [out]; `nn.Embedding(rows, dim)` a [rows, dim] table.
struct SchemaBuilder {
    private(set) var tensors: [ExpectedTensor] = []

    mutating func linear(_ name: String, role: (TensorParameter) -> TensorRole, out: Int, in input: Int,
                         bias: Bool = true, presence: ExpectedTensor.Presence = .required) {
        tensors.append(ExpectedTensor(role: role(.weight), name: name + ".weight", shape: Shape([out, input]), kind: .matrix, presence: presence))
        if bias {
            tensors.append(ExpectedTensor(role: role(.bias), name: name + ".bias", shape: Shape([out]), kind: .vector, presence: presence))
        }
    }

    mutating func layerNorm(_ name: String, role: (TensorParameter) -> TensorRole, size: Int,
                            presence: ExpectedTensor.Presence = .required) {
        for parameter in TensorParameter.allCases {
            tensors.append(ExpectedTensor(role: role(parameter), name: "\(name).\(parameter.rawValue)", shape: Shape([size]), kind: .vector, presence: presence))
        }
    }

    mutating func embedding(_ name: String, role: TensorRole, rows: Int, columns: Int, presence: ExpectedTensor.Presence = .required) {
        tensors.append(ExpectedTensor(role: role, name: name + ".weight", shape: Shape([rows, columns]), kind: .table, presence: presence))
    }

    mutating func buffer(_ name: String, role: TensorRole, shape: [Int]) {
        tensors.append(ExpectedTensor(role: role, name: name, shape: Shape(shape), kind: .buffer, presence: .optional))
    }

    /// `nn.Conv1d(channels, channels, kernel, groups)`: weight [channels, channels / groups, kernel].
    mutating func convolution(_ name: String, role: (TensorParameter) -> TensorRole, channels: Int, groups: Int, kernel: Int) {
        tensors.append(ExpectedTensor(role: role(.weight), name: name + ".weight", shape: Shape([channels, channels / groups, kernel]), kind: .matrix, presence: .required))
        tensors.append(ExpectedTensor(role: role(.bias), name: name + ".bias", shape: Shape([channels]), kind: .vector, presence: .required))
    }

    /// The four sublayers every BERT-family encoder layer ends with; the self-attention
    /// projections, which differ between architectures, come before.
    mutating func feedForward(layer: Int, hidden: Int, intermediate: Int) {
        let base = "encoder.layer.\(layer)."
        linear(base + "attention.output.dense", role: { .attentionOutput(layer: layer, $0) }, out: hidden, in: hidden)
        layerNorm(base + "attention.output.LayerNorm", role: { .attentionLayerNorm(layer: layer, $0) }, size: hidden)
        linear(base + "intermediate.dense", role: { .intermediate(layer: layer, $0) }, out: intermediate, in: hidden)
        linear(base + "output.dense", role: { .output(layer: layer, $0) }, out: hidden, in: intermediate)
        layerNorm(base + "output.LayerNorm", role: { .outputLayerNorm(layer: layer, $0) }, size: hidden)
    }
}
