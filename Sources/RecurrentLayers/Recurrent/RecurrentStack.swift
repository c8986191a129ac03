// Stacked recurrent layers (PyTorch's num_layers, Keras' stacked return_sequences=True layers):
// each layer reads the previous layer's full output sequence.
import RecurrentTensor

/// Layers applied one after the other over the whole sequence: layer `k + 1` reads layer `k`'s
/// output `[B, T, ·]`. Every layer but the last returns sequences; the stack's
/// `returnSequences` is the last layer's. The mask applies to every layer.
///
/// States are the layers' states in order (PyTorch's `h_n[l·dirs + d]`, with `c` after `h` per
/// direction for LSTM). The input of each layer is its own `dropout` (variational), which plays
/// the part of PyTorch's between-layer `dropout`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 2)
/// let stack = RecurrentStack([
///   GRU<Float>(inputSize: 8, hiddenSize: 16, generator: &rng),
///   GRU<Float>(inputSize: 16, hiddenSize: 16, generator: &rng),
/// ])
/// let (result, record) = try stack.forward(x, training: false, generator: &rng)  // [B, 16]
/// ```
public struct RecurrentStack<Member: SequenceLayer>: Sendable {
  public typealias Scalar = Member.Scalar
  /// The layers, input side first.
  public var layers: [Member]

  /// Stacks `layers` (at least one); checks that each built layer's input size is the previous
  /// layer's output size (unbuilt layers, input size 0, are sized on `build`) and sets
  /// `returnSequences` on all but the last.
  public init(_ layers: [Member]) {
    precondition(!layers.isEmpty, "RecurrentStack needs at least one layer, received none")
    for k in 1..<layers.count {
      precondition(
        layers[k].inputSize == 0 || layers[k].inputSize == layers[k - 1].outputSize,
        "layer \(k) reads \(layers[k].inputSize) features but layer \(k - 1) outputs "
          + "\(layers[k - 1].outputSize)")
    }
    self.layers = layers
    for k in 0..<(layers.count - 1) { self.layers[k].returnSequences = true }
  }
}

extension RecurrentStack: SequenceLayer {
  public typealias Record = [Member.Record]
  public var inputSize: Int { layers[0].inputSize }
  public var outputSize: Int { layers[layers.count - 1].outputSize }
  public var stateCount: Int { layers.reduce(0) { $0 + $1.stateCount } }
  public var returnSequences: Bool {
    get { layers[layers.count - 1].returnSequences }
    set { layers[layers.count - 1].returnSequences = newValue }
  }
  public var weights: [Member.Weights] {
    get { layers.map(\.weights) }
    set {
      precondition(newValue.count == layers.count, "one Weights per layer")
      for k in layers.indices { layers[k].weights = newValue[k] }
    }
  }

  public func forward(
    _ x: Tensor<Scalar>, initialState: [Tensor<Scalar>]? = nil, mask: SequenceMask? = nil,
    training: Bool, generator: inout some RandomNumberGenerator
  ) throws -> (RecurrentResult<Scalar>, [Member.Record]) {
    if let initialState, initialState.count != stateCount {
      throw RecurrentError.initialState(
        "this stack needs \(stateCount) initial states (layer by layer), received "
          + "\(initialState.count)")
    }
    var input = x
    var records: [Member.Record] = []
    var states: [Tensor<Scalar>] = []
    var offset = 0
    var last: RecurrentResult<Scalar>? = nil
    for layer in layers {
      let n = layer.stateCount
      let (result, record) = try layer.forward(
        input, initialState: initialState.map { Array($0[offset..<(offset + n)]) }, mask: mask,
        training: training, generator: &generator)
      offset += n
      records.append(record)
      states += result.states
      input = result.output
      last = result
    }
    return (RecurrentResult(outputs: last!.outputs, states: states), records)
  }

  public func backward(
    _ record: [Member.Record], gradOutputs: [Tensor<Scalar>?], gradStates: [Tensor<Scalar>?] = []
  ) throws -> SequenceGradients<Scalar, [Member.Weights]> {
    guard gradStates.count <= stateCount else {
      throw RecurrentError.option(
        "this stack has \(stateCount) states, received \(gradStates.count) state gradients")
    }
    let padded = gradStates + Array(repeating: nil, count: stateCount - gradStates.count)
    var offsets: [Int] = []
    var offset = 0
    for layer in layers {
      offsets.append(offset)
      offset += layer.stateCount
    }
    var upstream = gradOutputs
    var weights: [Member.Weights] = []
    var initialStates: [Tensor<Scalar>] = []
    var input: Tensor<Scalar>? = nil
    for k in layers.indices.reversed() {
      let n = layers[k].stateCount
      let g = try layers[k].backward(
        record[k], gradOutputs: upstream, gradStates: Array(padded[offsets[k]..<(offsets[k] + n)]))
      weights.insert(g.weights, at: 0)
      initialStates.insert(contentsOf: g.initialStates, at: 0)
      upstream = [g.input]
      input = g.input
    }
    return SequenceGradients(input: input!, initialStates: initialStates, weights: weights)
  }
}
