// libFuzzer target: arbitrary bytes as a config.json. A config that parses is turned into
// its expected-tensor schema (every shape derived from the config's sizes) and its
// parameter count, where size arithmetic on hostile values would trap.
// Built together with WeightsKit's sources by Fuzz/build.sh.

@_cdecl("weights_fuzz_ConfigFuzz")
public func configFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let config = try? ModelConfig(parsing: UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let schema = config.schema
    _ = schema.parameterCount(including: [.required, .optional])
    for tensor in schema.tensors { _ = tensor.shape.elementCount }
    return 0
}
