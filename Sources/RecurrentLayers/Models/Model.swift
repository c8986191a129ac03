import Foundation
import RecurrentTensor

/// A value flowing through a functional model's graph: per-sample `shape` (batch axis left out).
public struct ModelNode: Hashable, Sendable {
  public let id: Int
  public let shape: [Int]
}

/// A layer added to a ``ModelGraph``; calling it on several nodes shares its weights.
public struct LayerHandle: Hashable, Sendable {
  public let index: Int
}

/// The graph of a functional model (Keras's functional API): inputs, layer calls (shared
/// layers allowed), concatenations and sums. Shapes are inferred as nodes are added.
///
/// ```swift
/// var g = ModelGraph<Float>()
/// let tokens = g.input(shape: [20])                       // ids [B, 20]
/// let extra = g.input(shape: [3])                         // features [B, 3]
/// let h = try g(LSTM<Float>(units: 16), try g(Embedding(inputDim: 1000, outputDim: 32), tokens))
/// let merged = try g.concatenate([h, extra])              // [B, 19]
/// let out = try g(Dense(units: 1, activation: .sigmoid), merged)
/// var model = try Model(graph: g, inputs: [tokens, extra], outputs: [out], generator: &rng)
/// ```
public struct ModelGraph<Scalar: TensorScalar>: Sendable {
  enum Op: Sendable, Codable, Equatable {
    case input(index: Int)
    case layer(layer: Int, input: Int, call: Int)
    case concatenate(axis: Int, inputs: [Int])
    case add(inputs: [Int])
  }

  var ops: [Op] = []
  var shapes: [[Int]] = []
  public internal(set) var layers: [any Layer<Scalar>] = []
  public internal(set) var layerNames: [String] = []
  var callCounts: [Int] = []
  var inputCount = 0

  public init() {}

  private mutating func append(_ op: Op, shape: [Int]) -> ModelNode {
    ops.append(op)
    shapes.append(shape)
    return ModelNode(id: ops.count - 1, shape: shape)
  }

  /// A model input of per-sample `shape` (`[T]` for ids, `[T, D]`, `[D]`).
  public mutating func input(shape: [Int]) -> ModelNode {
    inputCount += 1
    return append(.input(index: inputCount - 1), shape: shape)
  }

  /// Adds a layer without calling it (to call it on several nodes, sharing its weights).
  public mutating func add(_ layer: any Layer<Scalar>) -> LayerHandle {
    layerNames.append(Sequential<Scalar>.uniqueName(for: layer, existing: layerNames))
    layers.append(layer)
    callCounts.append(0)
    return LayerHandle(index: layers.count - 1)
  }

  /// Calls an added layer on a node.
  public mutating func callAsFunction(_ handle: LayerHandle, _ x: ModelNode) throws -> ModelNode {
    let shape = try layers[handle.index].outputShape(inputShape: x.shape)
    callCounts[handle.index] += 1
    return append(
      .layer(layer: handle.index, input: x.id, call: callCounts[handle.index] - 1), shape: shape)
  }

  /// Adds a layer and calls it on a node.
  public mutating func callAsFunction(_ layer: any Layer<Scalar>, _ x: ModelNode) throws
    -> ModelNode
  {
    try self(add(layer), x)
  }

  /// Concatenation along `axis` of the per-sample shapes (`-1`: the last axis).
  public mutating func concatenate(_ xs: [ModelNode], axis: Int = -1) throws -> ModelNode {
    guard let first = xs.first else {
      throw LayerError.invalidArgument(layer: "Concatenate", message: "needs at least one input")
    }
    // Per-sample axis: the batch axis is left out of node shapes.
    let a = axis < 0 ? first.shape.count + axis : axis - 1
    guard a >= 0, a < first.shape.count else {
      throw LayerError.invalidArgument(
        layer: "Concatenate", message: "axis \(axis) does not fit shape \(first.shape)")
    }
    var shape = first.shape
    for x in xs.dropFirst() {
      var expected = first.shape
      guard x.shape.count == expected.count else {
        throw LayerError.shapeMismatch(
          layer: "Concatenate", expected: "\(expected)", received: x.shape)
      }
      expected[a] = x.shape[a]
      guard x.shape == expected else {
        throw LayerError.shapeMismatch(
          layer: "Concatenate", expected: "\(expected)", received: x.shape)
      }
      shape[a] += x.shape[a]
    }
    return append(.concatenate(axis: axis, inputs: xs.map(\.id)), shape: shape)
  }

  /// Elementwise sum of nodes of one shape.
  public mutating func add(_ xs: [ModelNode]) throws -> ModelNode {
    guard let first = xs.first else {
      throw LayerError.invalidArgument(layer: "Add", message: "needs at least one input")
    }
    for x in xs where x.shape != first.shape {
      throw LayerError.shapeMismatch(layer: "Add", expected: "\(first.shape)", received: x.shape)
    }
    return append(.add(inputs: xs.map(\.id)), shape: first.shape)
  }
}

/// A functional model: several inputs and outputs, shared layers, merges (Keras's `Model`).
/// Training runs on the autodiff tape: every layer call is one coarse op (its hand-written
/// backward), and a layer called twice receives the sum of both gradients.
///
/// ```swift
/// model.compile(optimizer: .adam(), loss: .binaryCrossentropy(), metrics: [.accuracy])
/// try model.fit(x: [ids, features], y: [labels], epochs: 3, generator: &rng)
/// let p = try model.predict([ids, features])[0]
/// ```
public struct Model<Scalar: TensorScalar>: TrainableModel {
  public var name: String
  public internal(set) var graph: ModelGraph<Scalar>
  public let inputs: [ModelNode]
  public let outputs: [ModelNode]
  public var optimizer: Optimizer<Scalar>?
  public internal(set) var loss: (any Loss)?
  public internal(set) var metrics: [Metric] = []
  public var stopTraining = false

  /// Builds every layer from the inferred shapes (weights drawn from `generator`).
  public init<G: RandomNumberGenerator>(
    graph: ModelGraph<Scalar>, inputs: [ModelNode], outputs: [ModelNode], name: String = "model",
    generator: inout G
  ) throws {
    guard !inputs.isEmpty, !outputs.isEmpty else {
      throw ModelError.invalidArgument("a Model needs at least one input and one output")
    }
    var graph = graph
    for op in graph.ops {
      if case let .layer(layer, input, _) = op {
        try graph.layers[layer].build(inputShape: graph.shapes[input], generator: &generator)
      }
    }
    for (i, layer) in graph.layers.enumerated()
    where layer is any StatefulLayer<Scalar> && graph.callCounts[i] > 1 {
      throw ModelError.invalidArgument(
        "layer '\(graph.layerNames[i])' is stateful and called \(graph.callCounts[i]) times; "
          + "a stateful layer carries one set of states, so call it once (or use two layers)")
    }
    self.graph = graph
    self.inputs = inputs
    self.outputs = outputs
    self.name = name
  }

  public var layers: [any Layer<Scalar>] { graph.layers }
  public var layerNames: [String] { graph.layerNames }

  /// All parameters, layer by layer (each shared layer once).
  public var weights: [Tensor<Scalar>] {
    get { graph.layers.flatMap { $0.parameters } }
    set {
      var offset = 0
      for i in graph.layers.indices {
        let n = graph.layers[i].parameters.count
        graph.layers[i].parameters = Array(newValue[offset..<(offset + n)])
        offset += n
      }
      precondition(
        offset == newValue.count, "expected \(offset) weight tensors, received \(newValue.count)")
    }
  }

  public var weightKeys: [String] {
    zip(graph.layerNames, graph.layers).flatMap { name, layer in
      layer.parameterNames.map { "\(name).\($0)" }
    }
  }

  public mutating func compile(
    optimizer: Optimizer<Scalar>, loss: some Loss, metrics: [Metric] = []
  ) {
    self.optimizer = optimizer
    self.loss = loss
    self.metrics = metrics
  }

  /// Whether a layer carries states between batches (``Stateful``).
  public var isStateful: Bool { containsStatefulLayer(graph.layers) }

  /// Clears the carried states of every stateful layer (Keras's `model.reset_states()`).
  public mutating func resetStates() { resetLayerStates(&graph.layers) }

  /// Stores the states stateful layers ended in (`states[i]` for layer `i`).
  mutating func keepLayerStates(_ states: [[Tensor<Scalar>]?]) {
    for i in graph.layers.indices { keepStates(&graph.layers[i], states[i]) }
  }

  /// Runs the graph. With a `tape`, parameters of trainable layers are its leaves (returned in
  /// `parameters`) and every op is recorded. `states[i]`: the states stateful layer `i` ended in.
  func run<G: RandomNumberGenerator>(
    _ xs: [Tensor<Scalar>], training: Bool, tape: Tape<Scalar>?, generator: inout G
  ) throws -> (
    outputs: [Variable<Scalar>], masks: [Tensor<Scalar>?], parameters: [[Variable<Scalar>]],
    states: [[Tensor<Scalar>]?]
  ) {
    guard xs.count == graph.inputCount else {
      throw ModelError.invalidArgument(
        "the model has \(graph.inputCount) inputs, received \(xs.count) tensors")
    }
    let parameters = graph.layers.map { layer in
      layer.parameters.map { p in
        if let tape, layer.isTrainable { return tape.variable(p) }
        return Variable(p)
      }
    }
    var states = [[Tensor<Scalar>]?](repeating: nil, count: graph.layers.count)
    var values = [Variable<Scalar>?](repeating: nil, count: graph.ops.count)
    var masks = [Tensor<Scalar>?](repeating: nil, count: graph.ops.count)
    for (id, op) in graph.ops.enumerated() {
      switch op {
      case .input(let index):
        let x = xs[index]
        guard Array(x.shape.dropFirst()) == graph.shapes[id] else {
          throw ModelError.invalidArgument(
            "input \(index) must be [N] + \(graph.shapes[id]), received \(x.shape)")
        }
        values[id] = Variable(x)
      case let .layer(layer, input, _):
        let (y, m, s) = try graph.layers[layer].callAsStatefulOp(
          values[input]!, mask: masks[input], parameters: parameters[layer], training: training,
          generator: &generator)
        values[id] = y
        masks[id] = m
        states[layer] = s
      case let .concatenate(axis, inputs):
        let vs = inputs.map { values[$0]! }
        let merge = Concatenate(axis: axis)
        let y = try merge.forward(vs.map(\.value))
        let shapes = vs.map(\.value.shape)
        values[id] =
          Tape.common(vs).map { tape in
            tape.record("Concatenate", inputs: vs, outputs: [y]) { dy in
              merge.backward(dy[0], inputShapes: shapes).map { Optional($0) }
            }[0]
          } ?? Variable(y)
        masks[id] = inputs.lazy.compactMap { masks[$0] }.first
      case .add(let inputs):
        let vs = inputs.map { values[$0]! }
        let y = try Add().forward(vs.map(\.value))
        values[id] =
          Tape.common(vs).map { tape in
            tape.record("Add", inputs: vs, outputs: [y]) { dy in
              Add().backward(dy[0], inputCount: vs.count).map { Optional($0) }
            }[0]
          } ?? Variable(y)
        masks[id] = inputs.lazy.compactMap { masks[$0] }.first
      }
    }
    return (outputs.map { values[$0.id]! }, outputs.map { masks[$0.id] }, parameters, states)
  }

  /// Inference in batches: one tensor per output. Stateful layers start from their carried
  /// states and carry them from batch to batch within the call; the model, a value, keeps
  /// them only with ``predict(_:batchSize:keepingStates:)``.
  public func predict(_ xs: [Tensor<Scalar>], batchSize: Int = 32) throws -> [Tensor<Scalar>] {
    var copy = self
    return try copy.predict(xs, batchSize: batchSize, keepingStates: true)
  }

  /// Inference in batches that keeps the states stateful layers end in (`keepingStates`), so
  /// the next call continues where this one stopped (Keras's `predict` on a stateful model).
  public mutating func predict(_ xs: [Tensor<Scalar>], batchSize: Int = 32, keepingStates: Bool)
    throws -> [Tensor<Scalar>]
  {
    let n = try sampleCount(xs, [], nil)
    var none = NoRandomnessNeeded()
    var collected = outputs.map { _ in [Scalar]() }
    var rowShapes = outputs.map(\.shape)
    let before = self
    for start in stride(from: 0, to: n, by: max(batchSize, 1)) {
      let index = Array(start..<min(start + batchSize, n))
      let out = try run(xs.map { rows($0, index) }, training: false, tape: nil, generator: &none)
      keepLayerStates(out.states)
      for k in out.outputs.indices {
        collected[k].append(contentsOf: out.outputs[k].value.scalars)
        rowShapes[k] = Array(out.outputs[k].value.shape.dropFirst())
      }
    }
    if !keepingStates { self = before }
    return zip(collected, rowShapes).map { Tensor(shape: [n] + $1, scalars: $0) }
  }

  /// Trains (Keras's `fit`); `y` has one target per output (the loss is summed over outputs;
  /// metrics follow the first output). Arguments as ``Sequential``'s `fit`.
  @discardableResult
  public mutating func fit<G: RandomNumberGenerator, Sink: ProgressSink>(
    x: [Tensor<Scalar>], y: [Tensor<Scalar>], epochs: Int = 1, batchSize: Int = 32,
    validationSplit: Double = 0,
    validationData: (x: [Tensor<Scalar>], y: [Tensor<Scalar>])? = nil, shuffle: Bool = true,
    classWeight: [Int: Double]? = nil, sampleWeight: Tensor<Scalar>? = nil,
    callbacks: [any Callback] = [], verbose: Int = 1, generator: inout G, output: inout Sink
  ) throws -> History {
    guard y.count == outputs.count else {
      throw ModelError.invalidArgument(
        "the model has \(outputs.count) outputs, received \(y.count) targets")
    }
    return try runFit(
      &self, xs: x, ys: y, epochs: epochs, batchSize: batchSize,
      validationSplit: validationSplit, validationData: validationData.map { ($0.x, $0.y) },
      shuffle: shuffle, classWeight: classWeight, sampleWeight: sampleWeight,
      callbacks: callbacks, verbose: verbose, generator: &generator, output: &output)
  }

  /// ``fit(x:y:epochs:batchSize:validationSplit:validationData:shuffle:classWeight:sampleWeight:callbacks:verbose:generator:output:)``
  /// printing to standard output.
  @discardableResult
  public mutating func fit<G: RandomNumberGenerator>(
    x: [Tensor<Scalar>], y: [Tensor<Scalar>], epochs: Int = 1, batchSize: Int = 32,
    validationSplit: Double = 0,
    validationData: (x: [Tensor<Scalar>], y: [Tensor<Scalar>])? = nil, shuffle: Bool = true,
    classWeight: [Int: Double]? = nil, sampleWeight: Tensor<Scalar>? = nil,
    callbacks: [any Callback] = [], verbose: Int = 1, generator: inout G
  ) throws -> History {
    var out = StandardOutput()
    return try fit(
      x: x, y: y, epochs: epochs, batchSize: batchSize, validationSplit: validationSplit,
      validationData: validationData, shuffle: shuffle, classWeight: classWeight,
      sampleWeight: sampleWeight, callbacks: callbacks, verbose: verbose, generator: &generator,
      output: &out)
  }

  /// Loss and metrics over a dataset (Keras's `evaluate`). Stateful layers carry their states
  /// through the batches of this call only (the model is a value and is not changed).
  public func evaluate(
    x: [Tensor<Scalar>], y: [Tensor<Scalar>], batchSize: Int = 32,
    sampleWeight: Tensor<Scalar>? = nil
  ) throws -> Logs {
    _ = try sampleCount(x, y, sampleWeight)
    var copy = self
    return try evaluateLogs(
      &copy, xs: x, ys: y, batchSize: batchSize, sampleWeight: sampleWeight)
  }
}

extension Model: FitLoopModel {
  mutating func prepare<G: RandomNumberGenerator>(inputs: [Tensor<Scalar>], generator: inout G)
    throws
  {}

  var targetShapes: [[Int]] { outputs.map(\.shape) }

  /// Losses over all outputs as one op at the end of the tape: value `Σ loss_k`, backward the
  /// losses' own gradients.
  private func totalLoss(
    _ outs: [Variable<Scalar>], _ masks: [Tensor<Scalar>?], _ targets: [Tensor<Scalar>],
    _ sampleWeight: Tensor<Scalar>?
  ) throws -> (value: Scalar, grads: [Tensor<Scalar>]) {
    guard let loss else { throw ModelError.notCompiled }
    var total: Scalar = 0
    var grads = [Tensor<Scalar>]()
    for k in outs.indices {
      let out = outs[k].value
      let mask = masks[k].flatMap { Array(out.shape.dropLast()) == $0.shape ? $0 : nil }
      let (v, g) = try loss.valueAndGradient(
        predictions: out, targets: targets[k], sampleWeight: sampleWeight, mask: mask)
      total += v
      grads.append(g)
    }
    return (total, grads)
  }

  mutating func trainStep<G: RandomNumberGenerator>(
    inputs: [Tensor<Scalar>], targets: [Tensor<Scalar>], sampleWeight: Tensor<Scalar>?,
    generator: inout G
  ) throws -> (loss: Double, predictions: [Tensor<Scalar>], masks: [Tensor<Scalar>?]) {
    guard optimizer != nil else { throw ModelError.notCompiled }
    // The tape and its variables (which hold the weights) end with this block, so the
    // optimizer below sees the only reference to each parameter buffer.
    let (lossValue, outputs, outputMasks, trainableGrads) = try {
      let tape = Tape<Scalar>()
      let (outs, masks, parameters, states) = try run(
        inputs, training: true, tape: tape, generator: &generator)
      keepLayerStates(states)
      let (value, lossGrads) = try totalLoss(outs, masks, targets, sampleWeight)
      let lossVariable = tape.record("loss", inputs: outs, outputs: [Tensor(value)]) { dy in
        lossGrads.map { g in
          Optional(Tensor(shape: g.shape, scalars: g.scalars.map { $0 * dy[0].scalars[0] }))
        }
      }[0]
      let grads = tape.gradients(of: lossVariable)
      var trainableGrads = [Tensor<Scalar>]()
      for (i, layer) in graph.layers.enumerated() where layer.isTrainable {
        for (p, v) in zip(layer.parameters, parameters[i]) {
          trainableGrads.append(grads[v] ?? Tensor(zeros: p.shape))
        }
      }
      return (value, outs.map(\.value), metricMasks(outs, masks), trainableGrads)
    }()
    // Moved out of the layers (empty placeholders meanwhile): a second reference would make
    // every in-place update copy the whole tensor first (copy-on-write).
    var params = [Tensor<Scalar>]()
    for i in graph.layers.indices where graph.layers[i].isTrainable {
      params.append(contentsOf: takeParameters(&graph.layers[i]))
    }
    optimizer!.update(&params, gradients: trainableGrads)
    var k = 0
    for i in graph.layers.indices where graph.layers[i].isTrainable {
      let n = graph.layers[i].parameters.count
      graph.layers[i].parameters = Array(params[k..<(k + n)])
      k += n
    }
    return (Double(lossValue), outputs, outputMasks)
  }

  /// Each output's mask when it fits the per-sample shape (`[B, T]` for `[B, T, C]`).
  private func metricMasks(_ outs: [Variable<Scalar>], _ masks: [Tensor<Scalar>?])
    -> [Tensor<Scalar>?]
  {
    zip(outs, masks).map { out, mask in
      mask.flatMap { Array(out.value.shape.dropLast()) == $0.shape ? $0 : nil }
    }
  }

  mutating func evaluateBatch(
    inputs: [Tensor<Scalar>], targets: [Tensor<Scalar>], sampleWeight: Tensor<Scalar>?
  ) throws -> (loss: Double, predictions: [Tensor<Scalar>], masks: [Tensor<Scalar>?]) {
    var none = NoRandomnessNeeded()
    let (outs, masks, _, states) = try run(inputs, training: false, tape: nil, generator: &none)
    keepLayerStates(states)
    let (value, _) = try totalLoss(outs, masks, targets, sampleWeight)
    return (Double(value), outs.map(\.value), metricMasks(outs, masks))
  }
}
