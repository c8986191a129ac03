import RecurrentTensor

/// The gradients a layer's backward pass returns: for its input (`nil` when the input takes
/// none, e.g. token ids) and for each of its ``Layer/parameters``, in order.
public struct LayerGradients<Scalar: TensorScalar> {
  public var input: Tensor<Scalar>?
  public var parameters: [Tensor<Scalar>]

  public init(input: Tensor<Scalar>?, parameters: [Tensor<Scalar>]) {
    self.input = input
    self.parameters = parameters
  }
}

/// A forward pass: the output, the mask it propagates (`[B, T]`, 1 valid, 0 padded; `nil` for
/// none) and the backward closure holding whatever the forward recorded.
///
/// This is the shape of one coarse op: `backward` maps the gradient of the loss with respect to
/// `output` to ``LayerGradients``. A recurrent layer with a hand-written backpropagation through
/// time fits as it is, and one call to `Tape.record` turns any layer into an op on the
/// autodiff tape.
public struct LayerForward<Scalar: TensorScalar> {
  public var output: Tensor<Scalar>
  public var mask: Tensor<Scalar>?
  /// For a ``StatefulLayer``: the states this call ended in (`[h]` or `[h, c]`, each `[B, H]`),
  /// which the model stores back into the layer so the next batch starts from them. `nil` for
  /// every other layer.
  public var states: [Tensor<Scalar>]?
  public var backward: (Tensor<Scalar>) -> LayerGradients<Scalar>

  public init(
    output: Tensor<Scalar>, mask: Tensor<Scalar>? = nil, states: [Tensor<Scalar>]? = nil,
    backward: @escaping (Tensor<Scalar>) -> LayerGradients<Scalar>
  ) {
    self.output = output
    self.mask = mask
    self.states = states
    self.backward = backward
  }
}

/// A layer: a value holding its parameters, built lazily from the first input shape (as Keras),
/// with a forward pass that returns its own backward pass.
///
/// Shapes given to ``build(inputShape:generator:)`` and ``outputShape(inputShape:)`` leave out
/// the batch axis: `[T, D]` for a `[B, T, D]` input.
///
/// ```swift
/// var dense = Dense<Float>(units: 4, activation: .relu)
/// var rng = RandomGenerator(seed: 42)
/// try dense.build(inputShape: [3], generator: &rng)
/// let f = try dense.forward(Tensor(zeros: [2, 3]), mask: nil, training: false, generator: &rng)
/// let grads = f.backward(Tensor(ones: [2, 4]))   // .input [2, 3], .parameters [kernel, bias]
/// ```
public protocol Layer<Scalar>: Sendable {
  associatedtype Scalar: TensorScalar
  /// Keras's class name (`"Dense"`), shown by `summary()` and stored in saved configs.
  var kerasClassName: String { get }
  /// The parameters in a fixed order (Keras's `weights` order: kernel before bias).
  var parameters: [Tensor<Scalar>] { get set }
  /// Names matching ``parameters`` (`"kernel"`, `"bias"`, `"embeddings"`), used as checkpoint keys.
  var parameterNames: [String] { get }
  /// Whether the optimizer updates the parameters (non-trainable ones are counted apart).
  var isTrainable: Bool { get }
  /// Whether the parameters exist (after ``build(inputShape:generator:)`` or a sized init).
  var isBuilt: Bool { get }
  /// Creates the parameters for the per-sample input shape; a no-op when already built with a
  /// matching shape. Throws ``LayerError`` when the shape does not fit.
  mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G) throws
  /// The per-sample output shape for a per-sample input shape.
  func outputShape(inputShape: [Int]) throws -> [Int]
  /// Runs the layer on a batch. `training` switches dropout on; `generator` draws its masks.
  func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar>
  /// The constructor arguments as JSON-compatible values (saved next to the weights).
  var config: [String: ConfigValue] { get }
}

extension Layer {
  public var isTrainable: Bool { true }
  /// The number of scalars in all parameters.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// Inference: the output of ``forward(_:mask:training:generator:)`` with `training: false`.
  public func callAsFunction(_ input: Tensor<Scalar>) throws -> Tensor<Scalar> {
    var none = NoRandomnessNeeded()
    return try forward(input, mask: nil, training: false, generator: &none).output
  }
}

/// A layer without weights (dropout, pooling, …): always built, no parameters; the output shape
/// is the input shape unless the layer says otherwise. Conforming supplies only the layer's own
/// behaviour (`kerasClassName`, `config`, `forward`).
///
/// ```swift
/// struct Identity<Scalar: TensorScalar>: ParameterlessLayer { … }
/// ```
public protocol ParameterlessLayer: Layer {}

extension ParameterlessLayer {
  public var isBuilt: Bool { true }
  public var parameterNames: [String] { [] }
  public var parameters: [Tensor<Scalar>] {
    get { [] }
    set {}
  }
  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    _ = try outputShape(inputShape: inputShape)
  }
  public func outputShape(inputShape: [Int]) throws -> [Int] { inputShape }
}

/// A generator for passes that draw no random numbers (inference); drawing from it is a
/// programmer error.
struct NoRandomnessNeeded: RandomNumberGenerator {
  mutating func next() -> UInt64 {
    preconditionFailure("a layer drew random numbers during inference")
  }
}

/// Errors from layer inputs and configuration that come from data (shapes, ids).
public enum LayerError: Error, CustomStringConvertible, Equatable {
  /// The input's shape does not fit the layer; `expected` describes what would.
  case shapeMismatch(layer: String, expected: String, received: [Int])
  /// An index input (token id) is outside the table.
  case indexOutOfRange(layer: String, flatIndex: Int, value: Double, limit: Int)
  /// A constructor argument is invalid.
  case invalidArgument(layer: String, message: String)

  public var description: String {
    switch self {
    case let .shapeMismatch(layer, expected, received):
      return "\(layer): expected input of shape \(expected), received \(received)"
    case let .indexOutOfRange(layer, flatIndex, value, limit):
      return
        "\(layer): input at flat index \(flatIndex) is \(value); ids must be integers in "
        + "0..<\(limit) (raise inputDim or clip the ids, e.g. a tokenizer's numWords)"
    case let .invalidArgument(layer, message):
      return "\(layer): \(message)"
    }
  }
}

/// A JSON-compatible configuration value (layer and model configs).
public enum ConfigValue: Sendable, Codable, Equatable {
  case int(Int)
  case double(Double)
  case bool(Bool)
  case string(String)
  case array([ConfigValue])
  case object([String: ConfigValue])
  case null

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? c.decode(Int.self) {
      self = .int(i)
    } else if let d = try? c.decode(Double.self) {
      self = .double(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([ConfigValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: ConfigValue].self))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .int(let v): try c.encode(v)
    case .double(let v): try c.encode(v)
    case .bool(let v): try c.encode(v)
    case .string(let v): try c.encode(v)
    case .array(let v): try c.encode(v)
    case .object(let v): try c.encode(v)
    case .null: try c.encodeNil()
    }
  }

  public var intValue: Int? {
    switch self {
    case .int(let v): return v
    case .double(let v): return Int(exactly: v)
    default: return nil
    }
  }
  public var doubleValue: Double? {
    switch self {
    case .int(let v): return Double(v)
    case .double(let v): return v
    default: return nil
    }
  }
  public var boolValue: Bool? { if case .bool(let v) = self { return v } else { return nil } }
  public var stringValue: String? { if case .string(let v) = self { return v } else { return nil } }
}
