import Foundation
import RecurrentTensor

/// Errors from model inputs and files (they come from data: shapes, sample counts, saved files).
public enum ModelError: Error, CustomStringConvertible, Equatable {
  /// `compile(optimizer:loss:metrics:)` has not been called before `fit` / `evaluate`.
  case notCompiled
  /// The model has no layers, or its input shape is unknown.
  case notBuilt(String)
  /// `x` and `y` (or the sample weights) disagree on the number of samples.
  case sampleCountMismatch(what: String, x: Int, other: Int)
  /// An argument is out of range.
  case invalidArgument(String)
  /// A saved model or weights file does not fit this model.
  case incompatibleFile(file: String, message: String)

  public var description: String {
    switch self {
    case .notCompiled:
      return
        "the model is not compiled; call compile(optimizer:loss:metrics:) before fit or evaluate"
    case .notBuilt(let message): return "the model is not built: \(message)"
    case let .sampleCountMismatch(what, x, other):
      return "x has \(x) samples but \(what) has \(other); they must have the same first axis"
    case .invalidArgument(let message): return message
    case let .incompatibleFile(file, message): return "\(file): \(message)"
    }
  }
}

/// A linear stack of layers, trained the Keras way (Keras's `Sequential`).
///
/// Layers are built lazily from the first input (or `inputShape`), so sizes flow from layer to
/// layer; the forward pass of every layer returns its backward, and `fit` chains them.
///
/// ```swift
/// var model = Sequential<Float>([
///   Embedding(inputDim: 100, outputDim: 8),
///   Dense(units: 8, activation: .relu),
///   Dense(units: 1, activation: .sigmoid),
/// ])
/// model.compile(optimizer: .adam(), loss: .binaryCrossentropy(), metrics: [.accuracy])
/// var rng = RandomGenerator(seed: 0)
/// let history = try model.fit(x: x, y: y, epochs: 5, batchSize: 2, generator: &rng)
/// print(model.summary())
/// ```
public struct Sequential<Scalar: TensorScalar>: TrainableModel {
  public var name: String
  public internal(set) var layers: [any Layer<Scalar>]
  /// Keras-style unique names (`dense`, `dense_1`, …), used in summaries and checkpoint keys.
  public internal(set) var layerNames: [String]
  /// The per-sample input shape (without the batch axis), once known.
  public private(set) var inputShape: [Int]?
  public var optimizer: Optimizer<Scalar>?
  public internal(set) var loss: (any Loss)?
  public internal(set) var metrics: [Metric] = []
  public var stopTraining = false

  public init(
    _ layers: [any Layer<Scalar>] = [], inputShape: [Int]? = nil, name: String = "sequential"
  ) {
    self.name = name
    self.layers = []
    layerNames = []
    self.inputShape = inputShape
    for layer in layers { add(layer) }
  }

  /// Appends a layer (Keras's `model.add`).
  public mutating func add(_ layer: any Layer<Scalar>) {
    layers.append(layer)
    layerNames.append(Self.uniqueName(for: layer, existing: layerNames))
  }

  /// `dense`, then `dense_1`, `dense_2`, … per class, as Keras names layers in a fresh session.
  static func uniqueName(for layer: any Layer<Scalar>, existing: [String]) -> String {
    let base = snakeCase(layer.kerasClassName)
    var index = 0
    var candidate = base
    while existing.contains(candidate) {
      index += 1
      candidate = "\(base)_\(index)"
    }
    return candidate
  }

  static func snakeCase(_ name: String) -> String {
    var out = ""
    let chars = Array(name)
    for (i, c) in chars.enumerated() {
      if c.isUppercase {
        let prevLower = i > 0 && (chars[i - 1].isLowercase || chars[i - 1].isNumber)
        let nextLower = i + 1 < chars.count && chars[i + 1].isLowercase
        if i > 0 && (prevLower || (nextLower && chars[i - 1].isUppercase)) { out += "_" }
        out += c.lowercased()
      } else {
        out.append(c)
      }
    }
    return out
  }

  public var isBuilt: Bool {
    !layers.isEmpty && layers.allSatisfy { $0.isBuilt } && inputShape != nil
  }

  /// Builds every layer for a per-sample input shape (`[T]` for token ids, `[T, D]`, `[D]`).
  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    guard !layers.isEmpty else { throw ModelError.notBuilt("add layers first") }
    var shape = inputShape
    for i in layers.indices {
      try layers[i].build(inputShape: shape, generator: &generator)
      shape = try layers[i].outputShape(inputShape: shape)
    }
    self.inputShape = inputShape
  }

  /// The per-sample output shape of every layer.
  public func outputShapes() throws -> [[Int]] {
    guard let inputShape else { throw ModelError.notBuilt("the input shape is unknown") }
    var shape = inputShape
    return try layers.map { layer in
      shape = try layer.outputShape(inputShape: shape)
      return shape
    }
  }

  /// All parameters, layer by layer.
  public var weights: [Tensor<Scalar>] {
    get { layers.flatMap { $0.parameters } }
    set {
      var offset = 0
      for i in layers.indices {
        let n = layers[i].parameters.count
        layers[i].parameters = Array(newValue[offset..<(offset + n)])
        offset += n
      }
      precondition(
        offset == newValue.count, "expected \(offset) weight tensors, received \(newValue.count)")
    }
  }

  /// Parameters the optimizer updates.
  public var trainableParameterCount: Int {
    layers.filter { $0.isTrainable }.reduce(0) { $0 + $1.parameterCount }
  }
  /// Parameters of frozen layers.
  public var nonTrainableParameterCount: Int {
    layers.filter { !$0.isTrainable }.reduce(0) { $0 + $1.parameterCount }
  }

  /// The forward pass over a batch: the output, its mask and each layer's backward closure.
  public func forward<G: RandomNumberGenerator>(
    _ x: Tensor<Scalar>, training: Bool, generator: inout G
  ) throws -> (output: Tensor<Scalar>, mask: Tensor<Scalar>?, steps: [LayerForward<Scalar>]) {
    var value = x
    var mask: Tensor<Scalar>?
    var steps = [LayerForward<Scalar>]()
    steps.reserveCapacity(layers.count)
    for layer in layers {
      let step = try layer.forward(value, mask: mask, training: training, generator: &generator)
      value = step.output
      mask = step.mask
      steps.append(step)
    }
    return (value, mask, steps)
  }

  /// Backward through the recorded steps: one gradient per parameter, in ``weights`` order.
  func backward(_ steps: [LayerForward<Scalar>], outputGradient: Tensor<Scalar>) -> [Tensor<Scalar>]
  {
    var grads = [[Tensor<Scalar>]](repeating: [], count: steps.count)
    var dy: Tensor<Scalar>? = outputGradient
    for i in steps.indices.reversed() {
      guard let current = dy else {
        grads[i] = layers[i].parameters.map { Tensor(zeros: $0.shape) }
        continue
      }
      let g = steps[i].backward(current)
      grads[i] = g.parameters
      dy = g.input
    }
    return grads.flatMap { $0 }
  }

  /// Inference in batches (dropout off): `[N, ...]` → `[N, ...output]`. Stateful layers
  /// (``Stateful``) carry their states from batch to batch and keep the last ones.
  public mutating func predict(_ x: Tensor<Scalar>, batchSize: Int = 32) throws -> Tensor<Scalar> {
    try ensureBuilt(for: x)
    var none = NoRandomnessNeeded()
    let n = x.shape.first ?? 0
    var outputs = [Scalar]()
    var rowShape: [Int] = []
    for start in stride(from: 0, to: n, by: max(batchSize, 1)) {
      let batch = rows(x, Array(start..<min(start + batchSize, n)))
      let (y, _, steps) = try forward(batch, training: false, generator: &none)
      keepStates(&layers, steps)
      rowShape = Array(y.shape.dropFirst())
      outputs.append(contentsOf: y.scalars)
    }
    if n == 0 { rowShape = try outputShapes().last ?? [] }
    return Tensor(shape: [n] + rowShape, scalars: outputs)
  }

  /// Builds from the data's shape when the model is not built yet (weights drawn from a
  /// generator seeded with 0, so an unseeded `predict` is still deterministic).
  mutating func ensureBuilt(for x: Tensor<Scalar>) throws {
    var seeded = FallbackGenerator(seed: 0)
    try ensureBuilt(for: x, generator: &seeded)
  }

  /// Builds from the data's shape with `generator` when the model is not built yet (`fit`
  /// draws the initial weights from its own generator, so its seed fixes them).
  mutating func ensureBuilt<G: RandomNumberGenerator>(for x: Tensor<Scalar>, generator: inout G)
    throws
  {
    if !isBuilt {
      try build(inputShape: inputShape ?? Array(x.shape.dropFirst()), generator: &generator)
    }
  }

  /// Whether a layer carries states between batches (``Stateful``).
  public var isStateful: Bool { containsStatefulLayer(layers) }

  /// Clears the carried states of every stateful layer (Keras's `model.reset_states()`).
  public mutating func resetStates() { resetLayerStates(&layers) }
}

/// Gathers rows (first-axis slices) of a tensor.
func rows<S: TensorScalar>(_ x: Tensor<S>, _ indices: [Int]) -> Tensor<S> {
  let n = x.shape.first ?? 0
  let rowSize = n == 0 ? 0 : x.count / n
  var out = [S]()
  out.reserveCapacity(indices.count * rowSize)
  x.scalars.withUnsafeBufferPointer { p in
    for i in indices { out.append(contentsOf: p[(i * rowSize)..<((i + 1) * rowSize)]) }
  }
  return Tensor(shape: [indices.count] + x.shape.dropFirst(), scalars: out)
}

/// SplitMix64 (Steele, Lea & Flood 2014), used where a model must draw numbers and no
/// generator was given, so that path is deterministic too.
struct FallbackGenerator: RandomNumberGenerator, Sendable {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
