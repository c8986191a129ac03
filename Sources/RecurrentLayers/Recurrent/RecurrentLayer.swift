// The one sequence loop shared by SimpleRNN, LSTM and GRU. It owns what is common to every cell:
// step order (direction, masking), dropout masks, stored states, the input projection for all
// steps as one matrix product before the loop, and the weight gradients as matrix products after
// the backward loop (the structure of cuDNN's and Keras' RNN layers).
import RecurrentTensor

/// A recurrent layer: runs a ``RecurrentCell`` over a sequence `[B, T, D]`.
///
/// - Output: `[B, T, H]` when ``returnSequences`` (zero at masked steps), else `[B, H]`, the
///   output of the last real step of each row (= its final `h`).
/// - States (always returned, Keras' `return_state`): `[h]` for SimpleRNN and GRU, `[h, c]` for
///   LSTM, each `[B, H]` — the state after the last real step of each row.
/// - ``goBackwards``: each row's real steps are read in reverse. Unlike Keras, the output
///   sequence stays aligned with the input positions (`output[b, t]` is the state right after
///   reading `x[b, t]`, as in PyTorch's reverse direction); ``Bidirectional`` relies on that.
/// - Masking: see ``SequenceMask``.
/// - Dropout (variational, Gal & Ghahramani 2016, as Keras): with `training: true`, one mask per
///   sequence on the inputs (`dropout`) and one on `h_{t-1}` where it enters the hidden product
///   (`recurrentDropout`), the same at every step, drawn from the generator you pass.
///
/// Forward records what backward needs; ``backward(_:gradOutput:gradStates:)`` is the
/// hand-written backpropagation through time and returns the gradients of the input, of the
/// initial states and of every weight and bias.
///
/// ```swift
/// var rng = RandomGenerator(seed: 42)
/// let lstm = LSTM<Float>(inputSize: 8, hiddenSize: 16, returnSequences: true, generator: &rng)
/// let x = Tensor<Float>(zeros: [4, 10, 8])                        // [B, T, D]
/// let (result, record) = try lstm.forward(x, mask: SequenceMask(lengths: [10, 7, 3, 0]),
///                                         training: true, generator: &rng)
/// result.output.shape                                             // [4, 10, 16]
/// let grads = try lstm.backward(record, gradOutput: Tensor(repeating: 1, shape: [4, 10, 16]))
/// grads.weights.weightHH.shape                                    // [64, 16]
/// ```
public struct RecurrentLayer<Cell: RecurrentCell>: Sendable {
  public typealias Scalar = Cell.Scalar
  /// The step and its weights.
  public var cell: Cell
  /// `true`: output every step `[B, T, H]`; `false`: only the last `[B, H]`.
  public var returnSequences: Bool
  /// Read each sequence from its last real step to its first.
  public var goBackwards: Bool
  /// Fraction of input features dropped during training (one mask per sequence).
  public var dropout: Double
  /// Fraction of `h_{t-1}` units dropped in the hidden product during training.
  public var recurrentDropout: Double

  /// Wraps `cell`; dropout rates must be in `0 ..< 1`.
  public init(
    cell: Cell, returnSequences: Bool = false, goBackwards: Bool = false, dropout: Double = 0,
    recurrentDropout: Double = 0
  ) {
    precondition(
      (0..<1).contains(dropout), "dropout must be in 0..<1, received \(dropout)")
    precondition(
      (0..<1).contains(recurrentDropout),
      "recurrentDropout must be in 0..<1, received \(recurrentDropout)")
    self.cell = cell
    self.returnSequences = returnSequences
    self.goBackwards = goBackwards
    self.dropout = dropout
    self.recurrentDropout = recurrentDropout
  }

  /// `D`.
  public var inputSize: Int { cell.inputSize }
  /// `H`.
  public var hiddenSize: Int { cell.hiddenSize }
  /// The parameters (PyTorch layout, see ``RecurrentWeights``).
  public var weights: RecurrentWeights<Scalar> {
    get { cell.weights }
    set { cell.weights = newValue }
  }
}

/// The outputs of a recurrent layer call.
///
/// ```swift
/// let (result, _) = try gru.forward(x, training: false, generator: &rng)
/// let last = result.output        // [B, H] (or [B, T, H] with returnSequences)
/// let h = result.states[0]        // [B, H]
/// ```
public struct RecurrentResult<Scalar: TensorScalar>: Sendable {
  /// The outputs: one tensor, or two for ``Bidirectional`` with merge mode `.none`
  /// (forward then backward).
  public var outputs: [Tensor<Scalar>]
  /// Final states: `[h]` or `[h, c]` per direction, forward direction first; each `[B, H]`.
  public var states: [Tensor<Scalar>]
  /// The (first) output.
  public var output: Tensor<Scalar> { outputs[0] }

  public init(outputs: [Tensor<Scalar>], states: [Tensor<Scalar>]) {
    self.outputs = outputs
    self.states = states
  }
}

/// Gradients returned by a backward pass through a sequence layer: the input's, the initial
/// states' and the weights' (same structure as the layer's parameters).
public struct SequenceGradients<Scalar: TensorScalar, Weights: Sendable>: Sendable {
  /// `∂L/∂x`, `[B, T, D]` (zero at masked steps).
  public var input: Tensor<Scalar>
  /// `∂L/∂(initial state)`, in the order of the layer's states, each `[B, H]`.
  public var initialStates: [Tensor<Scalar>]
  /// `∂L/∂(every parameter)`.
  public var weights: Weights

  public init(input: Tensor<Scalar>, initialStates: [Tensor<Scalar>], weights: Weights) {
    self.input = input
    self.initialStates = initialStates
    self.weights = weights
  }
}

/// The dropout mask of `rows × width` entries: 0 with probability `p`, else `1/(1-p)`.
/// Draws row-major from `generator`, so the same seed gives the same mask.
func dropoutMask<Scalar: TensorScalar>(
  rows: Int, width: Int, rate: Double, generator: inout some RandomNumberGenerator
) -> [Scalar] {
  let keep = Scalar(1 / (1 - rate))
  return (0..<(rows * width)).map { _ in
    Double.random(in: 0..<1, using: &generator) < rate ? 0 : keep
  }
}

extension RecurrentLayer {
  /// Runs the layer over `x` `[B, T, D]`.
  ///
  /// - Parameters:
  ///   - initialState: `[h]` or `[h, c]`, each `[B, H]`; zeros when `nil`.
  ///   - mask: which steps are real (see ``SequenceMask``); all when `nil`.
  ///   - training: applies dropout when `true` (nothing else changes).
  ///   - generator: draws the dropout masks (input mask first, then recurrent), only when
  ///     training with a nonzero rate.
  /// - Returns: the outputs and final states, and the record ``backward(_:gradOutput:gradStates:)``
  ///   needs.
  /// - Throws: ``RecurrentError`` when `x`, the states or the mask do not fit.
  public func forward(
    _ x: Tensor<Scalar>, initialState: [Tensor<Scalar>]? = nil, mask: SequenceMask? = nil,
    training: Bool, generator: inout some RandomNumberGenerator
  ) throws -> (RecurrentResult<Scalar>, RecurrentRecord<Cell>) {
    let d = cell.inputSize
    let h = cell.hiddenSize
    guard x.rank == 3, x.shape[2] == d else {
      throw RecurrentError.inputShape(expected: "[B, T, \(d)]", received: x.shape)
    }
    let (batch, time) = (x.shape[0], x.shape[1])
    let stateCount = Cell.stateCount
    if let initialState {
      guard initialState.count == stateCount else {
        throw RecurrentError.initialState(
          "initialState must hold \(stateCount) tensor(s) ([h]\(stateCount == 2 ? " and c" : "")), "
            + "received \(initialState.count)")
      }
      for (k, state) in initialState.enumerated() where state.shape != [batch, h] {
        throw RecurrentError.initialState(
          "initialState[\(k)] must be [B, H] = [\(batch), \(h)], received \(state.shape)")
      }
    }

    // Step order: row b at step s reads position positions[s·B + b] (−1 once the row ended).
    let rowPositions =
      try mask?.positions(batch: batch, time: time)
      ?? Array(repeating: Array(0..<time), count: batch)
    let counts = rowPositions.map(\.count)
    let steps = counts.max() ?? 0
    var positions = [Int](repeating: -1, count: steps * batch)
    for b in 0..<batch {
      let p = rowPositions[b]
      for s in 0..<p.count { positions[s * batch + b] = goBackwards ? p[p.count - 1 - s] : p[s] }
    }
    let rowsByCount = (0..<batch).sorted { (counts[$0], $0) < (counts[$1], $1) }

    let inputMask: [Scalar]? =
      training && dropout > 0
      ? dropoutMask(rows: batch, width: d, rate: dropout, generator: &generator) : nil
    let recurrentMask: [Scalar]? =
      training && recurrentDropout > 0
      ? dropoutMask(rows: batch, width: h, rate: recurrentDropout, generator: &generator) : nil
    return run(
      x, initialState: initialState, batch: batch, time: time, steps: steps,
      positions: positions, counts: counts, rowsByCount: rowsByCount, inputMask: inputMask,
      recurrentMask: recurrentMask)
  }

  /// The forward pass proper, once the step order and dropout masks are known. Generic over
  /// `Cell` only, so it can be pre-specialized for the Float cells (the generic entry point
  /// dispatches to those at run time).
  @_specialize(where Cell == LSTMCell<Float>)
  @_specialize(where Cell == GRUCell<Float>)
  @_specialize(where Cell == SimpleRNNCell<Float>)
  func run(
    _ x: Tensor<Scalar>, initialState: [Tensor<Scalar>]?, batch: Int, time: Int, steps: Int,
    positions: [Int], counts: [Int], rowsByCount: [Int], inputMask: [Scalar]?,
    recurrentMask: [Scalar]?
  ) -> (RecurrentResult<Scalar>, RecurrentRecord<Cell>) {
    let d = cell.inputSize
    let h = cell.hiddenSize
    let gw = cell.gateWidth
    let stateCount = Cell.stateCount
    let arena = ScalarArena<Scalar>()
    let rows = steps * batch
    let inputs = arena.allocate(rows * d)
    let gates = arena.allocate(rows * gw)
    let hidden = arena.allocate((steps + 1) * batch * h)
    let cellState = stateCount == 2 ? arena.allocate((steps + 1) * batch * h) : nil
    let hiddenIn = recurrentMask == nil ? nil : arena.allocate(rows * h)
    let cache = arena.allocate(rows * max(cell.cacheWidth, 1))
    let scratch = arena.allocate(batch * gw)

    // Gather the inputs in step order (applying the input dropout mask), then project every
    // step at once: gates = inputs · W_ihᵀ, one [S·B, D] × [D, G·H] product; the bias is added
    // after it (by the whole-sequence kernel step by step, else below).
    // Padded slots (t < 0) are zeroed here rather than the whole buffer up front.
    x.scalars.withUnsafeBufferPointer { xs in
      for (k, t) in positions.enumerated() {
        let b = k % batch
        let dst = inputs + k * d
        guard t >= 0 else {
          RecurrentMath.zero(dst, count: d)
          continue
        }
        let src = xs.baseAddress! + (b * time + t) * d
        if let inputMask {
          for j in 0..<d { dst[j] = src[j] * inputMask[b * d + j] }
        } else {
          RecurrentMath.copy(src, to: dst, count: d)
        }
      }
    }
    let bias = cell.projectionBias()
    if rows > 0 {
      cell.weights.weightIH.scalars.withUnsafeBufferPointer { w in
        Scalar.gemm(
          transposeA: false, transposeB: true, m: rows, n: gw, k: d, alpha: 1, a: inputs, lda: d,
          b: w.baseAddress!, ldb: d, beta: 0, c: gates, ldc: gw)
      }
    }

    if let initialState {
      hidden.update(from: initialState[0].scalars, count: batch * h)
      if let cellState { cellState.update(from: initialState[1].scalars, count: batch * h) }
    } else {
      RecurrentMath.zero(hidden, count: batch * h)
      if let cellState { RecurrentMath.zero(cellState, count: batch * h) }
    }

    // The fast Float step kernel reads W_hhᵀ [H, G·H] packed, made once per weight version.
    let packedWeightHH = steps > 0 ? cell.weights.packedHiddenWeights(transposed: true) : nil

    let bh = batch * h
    let ranWholeSequence = forwardWholeSequence(
      steps: steps, batch: batch, gates: gates, projectionBias: bias, hidden: hidden,
      cellState: cellState, cache: cache,
      scratch: scratch, hiddenIn: hiddenIn, recurrentMask: recurrentMask, counts: counts,
      packed: packedWeightHH)
    if !ranWholeSequence {
      for r in 0..<rows {
        let row = gates + r * gw
        for j in 0..<gw { row[j] += bias[j] }
      }
      var inactive = 0
      for s in 0..<steps {
        let hPrev = hidden + s * bh
        let hNext = hPrev + bh
        var hIn = UnsafePointer(hPrev)
        if let hiddenIn, let recurrentMask {
          let dst = hiddenIn + s * bh
          for i in 0..<bh { dst[i] = hPrev[i] * recurrentMask[i] }
          hIn = UnsafePointer(dst)
        }
        cell.forward(
          CellForwardStep(
            batch: batch, gates: gates + s * batch * gw, hiddenIn: hIn, hidden: hPrev,
            cell: cellState.map { UnsafePointer($0 + s * bh) }, nextHidden: hNext,
            nextCell: cellState.map { $0 + (s + 1) * bh },
            cache: cache + s * batch * cell.cacheWidth, scratch: scratch,
            packedWeightHHTransposed: packedWeightHH))
        // Rows that have ended carry their state through.
        while inactive < batch && counts[rowsByCount[inactive]] <= s { inactive += 1 }
        for k in 0..<inactive {
          let o = rowsByCount[k] * h
          RecurrentMath.copy(hPrev + o, to: hNext + o, count: h)
          if let cellState {
            RecurrentMath.copy(cellState + s * bh + o, to: cellState + (s + 1) * bh + o, count: h)
          }
        }
      }
    }

    // Outputs: scatter each real step's h back to its time position (zeros elsewhere).
    let output: Tensor<Scalar>
    if returnSequences {
      var out = [Scalar](repeating: 0, count: batch * time * h)
      out.withUnsafeMutableBufferPointer { o in
        for (k, t) in positions.enumerated() where t >= 0 {
          let (s, b) = k.quotientAndRemainder(dividingBy: batch)
          RecurrentMath.copy(
            hidden + (s + 1) * bh + b * h, to: o.baseAddress! + (b * time + t) * h, count: h)
        }
      }
      output = Tensor(shape: [batch, time, h], scalars: out)
    } else {
      output = Tensor(
        shape: [batch, h],
        scalars: Array(UnsafeBufferPointer(start: hidden + steps * bh, count: bh)))
    }
    var states = [
      Tensor(
        shape: [batch, h],
        scalars: Array(UnsafeBufferPointer(start: hidden + steps * bh, count: bh)))
    ]
    if let cellState {
      states.append(
        Tensor(
          shape: [batch, h],
          scalars: Array(UnsafeBufferPointer(start: cellState + steps * bh, count: bh))))
    }
    let record = RecurrentRecord(
      cell: cell, batch: batch, time: time, steps: steps, returnSequences: returnSequences,
      positions: positions, counts: counts, rowsByCount: rowsByCount, arena: arena,
      inputs: inputs, gates: gates, hidden: hidden, cellState: cellState, hiddenIn: hiddenIn,
      cache: cache, inputMask: inputMask, recurrentMask: recurrentMask)
    return (RecurrentResult(outputs: [output], states: states), record)
  }

  /// Inference: runs the layer without dropout and without keeping anything for backward.
  ///
  /// ```swift
  /// let y = try gru(x)            // [B, H]
  /// ```
  public func callAsFunction(
    _ x: Tensor<Scalar>, initialState: [Tensor<Scalar>]? = nil, mask: SequenceMask? = nil
  ) throws -> Tensor<Scalar> {
    var none = NoRandomness()
    return try forward(x, initialState: initialState, mask: mask, training: false, generator: &none)
      .0.output
  }
}

/// A generator for calls that draw nothing (inference, or no dropout); traps if asked for a
/// number, which would be a programmer error.
public struct NoRandomness: RandomNumberGenerator {
  public init() {}
  public mutating func next() -> UInt64 {
    preconditionFailure("this call needs a seeded generator: pass one with `generator:`")
  }
}
