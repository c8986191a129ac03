// The recurrent layers as `Layer`s (Core/Layer.swift): built lazily from the first input shape,
// parameters in PyTorch order and names, one `LayerForward` whose backward closure is the
// hand-written backpropagation through time — one coarse op on the autodiff tape.
import RecurrentTensor

extension RecurrentWeights {
  /// The four tensors in PyTorch's order: `weightIH, weightHH, biasIH, biasHH`.
  public var tensors: [Tensor<Scalar>] {
    get { [weightIH, weightHH, biasIH, biasHH] }
    set {
      precondition(
        newValue.count == 4, "RecurrentWeights takes 4 tensors, received \(newValue.count)")
      (weightIH, weightHH, biasIH, biasHH) = (newValue[0], newValue[1], newValue[2], newValue[3])
    }
  }

  /// PyTorch's state-dict names for one direction of one layer: `suffix` is `"_l0"`,
  /// `"_l0_reverse"`, `"_l1"`, ….
  public static func pytorchNames(suffix: String) -> [String] {
    ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map { $0 + suffix }
  }
}

extension RecurrentLayer {
  /// An LSTM layer of `units` hidden units whose input size is set on first use (Keras'
  /// `LSTM(units)`); `unitForgetBias` defaults to `true` as in Keras.
  ///
  /// ```swift
  /// var lstm = LSTM<Float>(units: 64, returnSequences: true)
  /// try lstm.build(inputShape: [100, 128], generator: &rng)   // [T, D]
  /// ```
  public init<S>(
    units: Int, unitForgetBias: Bool = true, returnSequences: Bool = false,
    goBackwards: Bool = false, dropout: Double = 0, recurrentDropout: Double = 0
  ) where Cell == LSTMCell<S> {
    self.init(
      cell: LSTMCell(hiddenSize: units, unitForgetBias: unitForgetBias),
      returnSequences: returnSequences, goBackwards: goBackwards, dropout: dropout,
      recurrentDropout: recurrentDropout)
  }

  /// A GRU layer of `units` hidden units built on first use (Keras' `GRU(units)`; reset-after
  /// by default, as Keras 2.x+ and PyTorch).
  public init<S>(
    units: Int, resetAfter: Bool = true, returnSequences: Bool = false, goBackwards: Bool = false,
    dropout: Double = 0, recurrentDropout: Double = 0
  ) where Cell == GRUCell<S> {
    self.init(
      cell: GRUCell(hiddenSize: units, resetAfter: resetAfter), returnSequences: returnSequences,
      goBackwards: goBackwards, dropout: dropout, recurrentDropout: recurrentDropout)
  }

  /// A SimpleRNN layer of `units` hidden units built on first use (Keras' `SimpleRNN(units)`).
  public init<S>(
    units: Int, activation: SimpleRNNCell<S>.Activation = .tanh, returnSequences: Bool = false,
    goBackwards: Bool = false, dropout: Double = 0, recurrentDropout: Double = 0
  ) where Cell == SimpleRNNCell<S> {
    self.init(
      cell: SimpleRNNCell(hiddenSize: units, activation: activation),
      returnSequences: returnSequences, goBackwards: goBackwards, dropout: dropout,
      recurrentDropout: recurrentDropout)
  }
}

/// `[T, D]` → `D`, or a `LayerError` naming the layer.
private func featureCount(_ layer: String, _ inputShape: [Int], built: Int?) throws -> Int {
  guard inputShape.count == 2, let d = inputShape.last, d > 0 else {
    throw LayerError.shapeMismatch(layer: layer, expected: "[T, D]", received: inputShape)
  }
  if let built, built > 0, built != d {
    throw LayerError.shapeMismatch(layer: layer, expected: "[T, \(built)]", received: inputShape)
  }
  return d
}

extension RecurrentLayer: Layer {
  public var kerasClassName: String { Cell.kerasClassName }
  public var isBuilt: Bool { cell.inputSize > 0 }
  /// PyTorch's names, so a checkpoint reads like a state dict: `weight_ih_l0`, ….
  public var parameterNames: [String] { RecurrentWeights<Scalar>.pytorchNames(suffix: "_l0") }
  public var parameters: [Tensor<Scalar>] {
    get { cell.weights.tensors }
    set { cell.weights.tensors = newValue }
  }
  public var config: [String: ConfigValue] {
    cell.config.merging(
      [
        "return_sequences": .bool(returnSequences), "go_backwards": .bool(goBackwards),
        "dropout": .double(dropout), "recurrent_dropout": .double(recurrentDropout),
      ], uniquingKeysWith: { a, _ in a })
  }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    let d = try featureCount(kerasClassName, inputShape, built: cell.inputSize)
    if !isBuilt { cell = cell.resized(inputSize: d, generator: &generator) }
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    _ = try featureCount(kerasClassName, inputShape, built: cell.inputSize)
    return returnSequences ? [inputShape[0], hiddenSize] : [hiddenSize]
  }

  /// The `Layer` entry point: `mask` `[B, T]` (nonzero = real step, as Embedding(maskZero:)
  /// emits) becomes a ``SequenceMask``; the mask is passed on only with `returnSequences`.
  /// The backward closure returns `∂L/∂x` and the gradients of ``parameters`` in order.
  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    let sequenceMask = try mask.map { try SequenceMask(mask: $0) }
    let (result, record) = try forward(
      input, initialState: nil, mask: sequenceMask, training: training, generator: &generator)
    return LayerForward(output: result.output, mask: returnSequences ? mask : nil) { dy in
      // The output shape was checked by forward; a wrong dy shape is a programmer error.
      let g = try! self.backward(record, gradOutput: dy)
      return LayerGradients(input: g.input, parameters: g.weights.tensors)
    }
  }
}

extension Bidirectional {
  /// Keras' `Bidirectional(layer)`: the backward layer is a fresh copy of `layer`'s
  /// configuration. `layer` must not be built yet (each direction draws its own weights when
  /// built); to wrap built layers use ``init(forward:backward:merge:)``.
  public init(_ layer: RecurrentLayer<Cell>, merge: Merge = .concat) {
    precondition(
      layer.cell.inputSize == 0,
      "Bidirectional(_:) copies an unbuilt layer; pass built layers as forward:backward:")
    self.init(forward: layer, backward: layer, merge: merge)
  }
}

extension Bidirectional: Layer {
  public var kerasClassName: String { "Bidirectional" }
  public var isBuilt: Bool { forwardLayer.isBuilt && backwardLayer.isBuilt }
  public var parameterNames: [String] {
    RecurrentWeights<Scalar>.pytorchNames(suffix: "_l0")
      + RecurrentWeights<Scalar>.pytorchNames(suffix: "_l0_reverse")
  }
  public var parameters: [Tensor<Scalar>] {
    get { forwardLayer.parameters + backwardLayer.parameters }
    set {
      forwardLayer.parameters = Array(newValue[0..<4])
      backwardLayer.parameters = Array(newValue[4..<8])
    }
  }
  public var config: [String: ConfigValue] {
    ["merge_mode": .string(merge.rawValue), "layer": .object(forwardLayer.config)]
  }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    try forwardLayer.build(inputShape: inputShape, generator: &generator)
    try backwardLayer.build(inputShape: inputShape, generator: &generator)
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    let one = try forwardLayer.outputShape(inputShape: inputShape)
    return Array(one.dropLast()) + [outputSize]
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    guard merge != .none else {
      throw LayerError.invalidArgument(
        layer: "Bidirectional",
        message: "merge .none gives two outputs; use a merge mode, or call "
          + "forward(_:initialState:mask:training:generator:) for both")
    }
    let sequenceMask = try mask.map { try SequenceMask(mask: $0) }
    let (result, record) = try forward(
      input, initialState: nil, mask: sequenceMask, training: training, generator: &generator)
    return LayerForward(output: result.output, mask: returnSequences ? mask : nil) { dy in
      let g = try! self.backward(record, gradOutputs: [dy], gradStates: [])
      return LayerGradients(
        input: g.input, parameters: g.weights.forward.tensors + g.weights.backward.tensors)
    }
  }
}

extension RecurrentStack: Layer where Member: Layer {
  public var kerasClassName: String { "RecurrentStack" }
  public var isBuilt: Bool { layers.allSatisfy(\.isBuilt) }
  /// Each member's names with its layer index: `weight_ih_l1`, `bias_hh_l1_reverse`, ….
  public var parameterNames: [String] {
    layers.enumerated().flatMap { k, layer in
      layer.parameterNames.map { $0.replacingOccurrences(of: "_l0", with: "_l\(k)") }
    }
  }
  public var parameters: [Tensor<Scalar>] {
    get { layers.flatMap(\.parameters) }
    set {
      var offset = 0
      for k in layers.indices {
        let n = layers[k].parameters.count
        layers[k].parameters = Array(newValue[offset..<(offset + n)])
        offset += n
      }
    }
  }
  public var config: [String: ConfigValue] { ["layers": .array(layers.map { .object($0.config) })] }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    var shape = inputShape
    for k in layers.indices {
      try layers[k].build(inputShape: shape, generator: &generator)
      shape = try layers[k].outputShape(inputShape: shape)
    }
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    try layers.reduce(inputShape) { try $1.outputShape(inputShape: $0) }
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    let sequenceMask = try mask.map { try SequenceMask(mask: $0) }
    let (result, record) = try forward(
      input, initialState: nil, mask: sequenceMask, training: training, generator: &generator)
    return LayerForward(output: result.output, mask: returnSequences ? mask : nil) { dy in
      let g = try! self.backward(record, gradOutputs: [dy], gradStates: [])
      var grads: [Tensor<Scalar>] = []
      for (layer, w) in zip(self.layers, g.weights) {
        var copy = layer
        copy.weights = w
        grads += copy.parameters
      }
      return LayerGradients(input: g.input, parameters: grads)
    }
  }
}
