// Bidirectional wrapper: one layer reads each sequence forwards, a second reads it backwards
// (within each row's real length), and their outputs are merged, as Keras' Bidirectional and
// PyTorch's bidirectional=True.
import RecurrentTensor

/// Runs two recurrent layers over the same sequence, one forwards and one backwards, and merges
/// their outputs.
///
/// The backward layer reads each row's real steps in reverse (see ``SequenceMask``) and its
/// output is aligned with the input positions, so `output[b, t]` joins the forward state after
/// `x[b, t]` with the backward state after `x[b, t]` — PyTorch's `bidirectional=True` layout. With
/// `.concat` the last axis is `[forward H | backward H]`; without `returnSequences` the merged
/// output joins the forward layer's last output with the backward layer's (its state after
/// reading `x[b, 0]`). States: the forward layer's, then the backward layer's
/// (LSTM: `[h_fw, c_fw, h_bw, c_bw]`). Dropout masks are drawn forward layer first.
///
/// ```swift
/// var rng = RandomGenerator(seed: 9)
/// let bi = Bidirectional(
///   forward: LSTM<Float>(inputSize: 8, hiddenSize: 16, returnSequences: true, generator: &rng),
///   backward: LSTM<Float>(inputSize: 8, hiddenSize: 16, returnSequences: true, generator: &rng),
///   merge: .concat)
/// let (result, record) = try bi.forward(x, mask: SequenceMask(lengths: lengths),
///                                       training: false, generator: &rng)   // [B, T, 32]
/// ```
public struct Bidirectional<Cell: RecurrentCell>: Sendable {
  public typealias Scalar = Cell.Scalar

  /// How the two directions' outputs are combined (Keras `merge_mode`).
  public enum Merge: String, Sendable, CaseIterable {
    /// `[forward | backward]` on the last axis (`2H` features). Keras' default, PyTorch's layout.
    case concat
    /// `forward + backward`.
    case sum
    /// `(forward + backward) / 2` (Keras `ave`).
    case average
    /// `forward ⊙ backward` (Keras `mul`).
    case multiply
    /// No merge: two outputs, forward then backward.
    case none
  }

  /// Reads forwards (its `goBackwards` is `false`).
  public var forwardLayer: RecurrentLayer<Cell>
  /// Reads backwards (its `goBackwards` is `true`).
  public var backwardLayer: RecurrentLayer<Cell>
  /// How outputs are combined.
  public var merge: Merge

  /// Wraps two layers of the same kind and size; sets `goBackwards` on `backward` (and clears
  /// it on `forward`) and gives `backward` the forward layer's `returnSequences`.
  public init(forward: RecurrentLayer<Cell>, backward: RecurrentLayer<Cell>, merge: Merge = .concat)
  {
    precondition(
      forward.inputSize == backward.inputSize && forward.hiddenSize == backward.hiddenSize,
      "Bidirectional needs two layers of the same sizes, received D \(forward.inputSize)/"
        + "\(backward.inputSize) and H \(forward.hiddenSize)/\(backward.hiddenSize)")
    forwardLayer = forward
    forwardLayer.goBackwards = false
    backwardLayer = backward
    backwardLayer.goBackwards = true
    backwardLayer.returnSequences = forward.returnSequences
    self.merge = merge
  }
}

/// The parameters of a ``Bidirectional`` layer (and the structure of their gradients).
public struct BidirectionalWeights<Scalar: TensorScalar>: Sendable {
  /// The forward layer's weights (PyTorch `*_l0`).
  public var forward: RecurrentWeights<Scalar>
  /// The backward layer's weights (PyTorch `*_l0_reverse`).
  public var backward: RecurrentWeights<Scalar>

  public init(forward: RecurrentWeights<Scalar>, backward: RecurrentWeights<Scalar>) {
    self.forward = forward
    self.backward = backward
  }
}

/// What ``Bidirectional`` keeps for its backward pass.
public struct BidirectionalRecord<Cell: RecurrentCell>: Sendable {
  let forward: RecurrentRecord<Cell>
  let backward: RecurrentRecord<Cell>
  /// Both directions' outputs, needed by `.multiply`.
  let outputs: (Tensor<Cell.Scalar>, Tensor<Cell.Scalar>)?
}

extension Bidirectional: SequenceLayer {
  public typealias Record = BidirectionalRecord<Cell>
  public var inputSize: Int { forwardLayer.inputSize }
  public var outputSize: Int {
    merge == .concat ? 2 * forwardLayer.hiddenSize : forwardLayer.hiddenSize
  }
  public var stateCount: Int { 2 * Cell.stateCount }
  public var returnSequences: Bool {
    get { forwardLayer.returnSequences }
    set {
      forwardLayer.returnSequences = newValue
      backwardLayer.returnSequences = newValue
    }
  }
  public var weights: BidirectionalWeights<Scalar> {
    get { BidirectionalWeights(forward: forwardLayer.weights, backward: backwardLayer.weights) }
    set {
      forwardLayer.weights = newValue.forward
      backwardLayer.weights = newValue.backward
    }
  }

  public func forward(
    _ x: Tensor<Scalar>, initialState: [Tensor<Scalar>]? = nil, mask: SequenceMask? = nil,
    training: Bool, generator: inout some RandomNumberGenerator
  ) throws -> (RecurrentResult<Scalar>, BidirectionalRecord<Cell>) {
    let n = Cell.stateCount
    if let initialState, initialState.count != 2 * n {
      throw RecurrentError.initialState(
        "a Bidirectional layer needs \(2 * n) initial states (forward then backward), received "
          + "\(initialState.count)")
    }
    let (fw, fwRecord) = try forwardLayer.forward(
      x, initialState: initialState.map { Array($0[0..<n]) }, mask: mask, training: training,
      generator: &generator)
    let (bw, bwRecord) = try backwardLayer.forward(
      x, initialState: initialState.map { Array($0[n..<(2 * n)]) }, mask: mask, training: training,
      generator: &generator)
    let (a, b) = (fw.output, bw.output)
    let outputs: [Tensor<Scalar>]
    switch merge {
    case .concat: outputs = [Self.concatLastAxis(a, b)]
    // Tensor arithmetic runs the kernels' vector loops even from this generic context.
    case .sum: outputs = [a + b]
    case .average: outputs = [(a + b) * Scalar(0.5)]
    case .multiply: outputs = [a * b]
    case .none: outputs = [a, b]
    }
    let record = BidirectionalRecord(
      forward: fwRecord, backward: bwRecord, outputs: merge == .multiply ? (a, b) : nil)
    return (RecurrentResult(outputs: outputs, states: fw.states + bw.states), record)
  }

  public func backward(
    _ record: BidirectionalRecord<Cell>, gradOutputs: [Tensor<Scalar>?],
    gradStates: [Tensor<Scalar>?] = []
  ) throws -> SequenceGradients<Scalar, BidirectionalWeights<Scalar>> {
    let n = Cell.stateCount
    let expected = merge == .none ? 2 : 1
    guard gradOutputs.count <= expected, gradStates.count <= 2 * n else {
      throw RecurrentError.option(
        "Bidirectional(\(merge)) takes at most \(expected) output gradient(s) and \(2 * n) state "
          + "gradients, received \(gradOutputs.count) and \(gradStates.count)")
    }
    var gFw: Tensor<Scalar>? = nil
    var gBw: Tensor<Scalar>? = nil
    if let g = gradOutputs.first ?? nil {
      switch merge {
      case .concat: (gFw, gBw) = Self.splitLastAxis(g)
      case .sum: (gFw, gBw) = (g, g)
      case .average:
        let half = g * Scalar(0.5)
        (gFw, gBw) = (half, half)
      case .multiply:
        let (a, b) = record.outputs!
        gFw = g * b
        gBw = g * a
      case .none: gFw = g
      }
    }
    if merge == .none, gradOutputs.count > 1 { gBw = gradOutputs[1] }
    let padded = gradStates + Array(repeating: nil, count: 2 * n - gradStates.count)
    let fw = try forwardLayer.backward(
      record.forward, gradOutput: gFw, gradStates: Array(padded[0..<n]))
    let bw = try backwardLayer.backward(
      record.backward, gradOutput: gBw, gradStates: Array(padded[n..<(2 * n)]))
    return SequenceGradients(
      input: fw.input + bw.input,
      initialStates: fw.initialStates + bw.initialStates,
      weights: BidirectionalWeights(forward: fw.weights, backward: bw.weights))
  }

  /// `[..., H] ++ [..., H] -> [..., 2H]`.
  static func concatLastAxis(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
    let h = a.shape.last!
    let rows = a.count / max(h, 1)
    var out = [Scalar]()
    out.reserveCapacity(2 * a.count)
    for r in 0..<rows {
      out.append(contentsOf: a.scalars[(r * h)..<((r + 1) * h)])
      out.append(contentsOf: b.scalars[(r * h)..<((r + 1) * h)])
    }
    return Tensor(shape: Array(a.shape.dropLast()) + [2 * h], scalars: out)
  }

  /// `[..., 2H] -> ([..., H], [..., H])`.
  static func splitLastAxis(_ g: Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>) {
    let h2 = g.shape.last!
    let h = h2 / 2
    let rows = g.count / max(h2, 1)
    var a = [Scalar]()
    var b = [Scalar]()
    a.reserveCapacity(rows * h)
    b.reserveCapacity(rows * h)
    for r in 0..<rows {
      a.append(contentsOf: g.scalars[(r * h2)..<(r * h2 + h)])
      b.append(contentsOf: g.scalars[(r * h2 + h)..<((r + 1) * h2)])
    }
    let shape = Array(g.shape.dropLast()) + [h]
    return (Tensor(shape: shape, scalars: a), Tensor(shape: shape, scalars: b))
  }
}
