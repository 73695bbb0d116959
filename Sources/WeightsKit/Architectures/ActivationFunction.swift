/// An activation function as config.json names it (`hidden_act`): the keys of
/// transformers' `ACT2FN` (activations.py), parsed once when the config is read.
///
/// Every name transformers accepts is accepted here, so a config that loads there is
/// read here; which of them an encoder can run is the encoder's to say.
public enum ActivationFunction: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The erf form, x · ½ · (1 + erf(x / √2)): torch's default GELU.
    case gelu
    case gelu10 = "gelu_10"
    case geluFast = "gelu_fast"
    case geluNew = "gelu_new"
    case geluPython = "gelu_python"
    case geluPytorchTanh = "gelu_pytorch_tanh"
    case geluPythonTanh = "gelu_python_tanh"
    case geluAccurate = "gelu_accurate"
    case hardswish
    case laplace
    case leakyReLU = "leaky_relu"
    case linear
    case mish
    case quickGELU = "quick_gelu"
    case relu
    case relu2
    case relu6
    case sigmoid
    case silu
    case sqrtSoftplus = "sqrtsoftplus"
    case swish
    case tanh
    case prelu
    case xielu

    /// The name as config.json spells it.
    public var description: String { rawValue }
}
