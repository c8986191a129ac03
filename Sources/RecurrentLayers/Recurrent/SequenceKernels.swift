// Whole-sequence kernels: the Float LSTM and reset-after GRU can run all steps of a layer call
// in C (CRecurrentKernels/rnn_sequence.c) on a team of threads that meets once per step, instead
// of RecurrentLayer's Swift loop calling the cell once per step. The step-by-step loop stays the
// definition (and the path for Double, SimpleRNN, reset-before GRU and H that is not a multiple
// of the kernel's panel width); the whole-sequence kernels give the same bits
// (SequenceKernelTests).
import CRecurrentKernels
import RecurrentTensor

/// A cell with a whole-sequence kernel for some of its configurations.
protocol WholeSequenceCell {
  /// Whether ``forwardSequence(_:)`` and ``backwardSequence(_:)`` run for this cell now
  /// (Float, kernels enabled, a supported hidden size and variant).
  var hasSequenceKernel: Bool { get }
  /// Runs every step of the forward loop; `false` (nothing touched) when there is no kernel.
  func forwardSequence(_ s: SequenceForwardBuffers) -> Bool
  /// Runs every step of the backward loop; `false` (nothing touched) when there is no kernel.
  func backwardSequence(_ s: SequenceBackwardBuffers) -> Bool
}

/// The forward loop's buffers, in step order (`S` steps; see RecurrentLayer.run). Float only:
/// the kernels exist for nothing else.
struct SequenceForwardBuffers {
  var steps: Int
  var batch: Int
  /// `[S, B, G·H]`: input projections without bias in, what backward needs out (as the step
  /// path).
  var gates: UnsafeMutablePointer<Float>
  /// `[G·H]`: the projection bias (``RecurrentCell/projectionBias()``), added step by step.
  var projectionBias: UnsafePointer<Float>
  /// `[S+1, B, H]`: `h_0` in slot 0; slots 1…S filled.
  var hidden: UnsafeMutablePointer<Float>
  /// `[S+1, B, H]` for the LSTM, else `nil`.
  var cell: UnsafeMutablePointer<Float>?
  /// `[S, B, cacheWidth]`.
  var cache: UnsafeMutablePointer<Float>
  /// `[B, G·H]` scratch.
  var scratch: UnsafeMutablePointer<Float>
  /// `[S, B, H]` filled with `h · recurrentMask` when recurrent dropout is on.
  var hiddenIn: UnsafeMutablePointer<Float>?
  /// `[B, H]` recurrent dropout mask or `nil`.
  var recurrentMask: UnsafePointer<Float>?
  /// `[B]`: real steps per row (later steps carry the row's state).
  var rowSteps: UnsafePointer<Int32>
  /// `W_hhᵀ` packed (see ``RecurrentWeights/packedHiddenWeights(transposed:)``).
  var packedWeightHHTransposed: UnsafePointer<Float>
}

/// The backward loop's buffers (newest step first inside the kernel).
struct SequenceBackwardBuffers {
  var steps: Int
  var batch: Int
  /// The forward pass's `gates`, `cache`, `hidden` and `cell` (see ``SequenceForwardBuffers``).
  var gates: UnsafePointer<Float>
  var cache: UnsafePointer<Float>
  var hidden: UnsafePointer<Float>
  var cell: UnsafePointer<Float>?
  /// `[S, B, H]`: `∂L/∂output` at each step (zero at padded slots), or `nil`.
  var gradSequence: UnsafePointer<Float>?
  var recurrentMask: UnsafePointer<Float>?
  /// `[B, H]`: `∂L/∂(final h)` in, `∂L/∂(initial h)` out; the same for `gradCell` (LSTM).
  var gradHidden: UnsafeMutablePointer<Float>
  var gradCell: UnsafeMutablePointer<Float>?
  /// `3·B·H` scratch.
  var scratch: UnsafeMutablePointer<Float>
  /// `[S, B, G·H]` out; `gradGatesHidden` is the same buffer for the LSTM.
  var gradGatesInput: UnsafeMutablePointer<Float>
  var gradGatesHidden: UnsafeMutablePointer<Float>
  var rowSteps: UnsafePointer<Int32>
  /// `W_hh` packed (the backward orientation).
  var packedWeightHH: UnsafePointer<Float>
}

extension RNNKernels {
  /// Set to `false` (tests only) to run the step-by-step loop where a sequence kernel exists.
  nonisolated(unsafe) static var sequenceKernelsEnabled = true

  /// Whether a Float cell of `hiddenSize` units may use a whole-sequence kernel.
  static func sequenceKernelApplies<S>(_: S.Type, hiddenSize: Int) -> Bool {
    S.self == Float.self && enabled && sequenceKernelsEnabled
      && rnn_sequence_supported(Int32(hiddenSize)) != 0
  }
}

extension LSTMCell: WholeSequenceCell {
  var hasSequenceKernel: Bool {
    RNNKernels.sequenceKernelApplies(Scalar.self, hiddenSize: hiddenSize)
  }

  func forwardSequence(_ s: SequenceForwardBuffers) -> Bool {
    guard hasSequenceKernel, let cell = s.cell else { return false }
    rnn_lstm_sequence_forward_f32(
      RNNKernels.threads(), Int32(s.steps), Int32(s.batch), Int32(hiddenSize), s.gates,
      s.projectionBias, s.packedWeightHHTransposed, s.hidden, cell, s.cache, s.recurrentMask,
      s.hiddenIn, s.rowSteps)
    return true
  }

  func backwardSequence(_ s: SequenceBackwardBuffers) -> Bool {
    guard hasSequenceKernel, let cell = s.cell, let gradCell = s.gradCell else { return false }
    rnn_lstm_sequence_backward_f32(
      RNNKernels.threads(), Int32(s.steps), Int32(s.batch), Int32(hiddenSize), s.gates, s.cache,
      cell, s.packedWeightHH, s.gradSequence, s.recurrentMask, s.gradHidden, gradCell,
      s.scratch, s.gradGatesInput, s.rowSteps)
    return true
  }
}

extension GRUCell: WholeSequenceCell {
  var hasSequenceKernel: Bool {
    resetAfter && RNNKernels.sequenceKernelApplies(Scalar.self, hiddenSize: hiddenSize)
  }

  func forwardSequence(_ s: SequenceForwardBuffers) -> Bool {
    guard hasSequenceKernel else { return false }
    weights.biasHH.scalars.withUnsafeBufferPointer { bhh in
      let bhn = RNNKernels.f(bhh.baseAddress!) + 2 * hiddenSize
      rnn_gru_sequence_forward_f32(
        RNNKernels.threads(), Int32(s.steps), Int32(s.batch), Int32(hiddenSize), s.gates,
        s.projectionBias, s.packedWeightHHTransposed, bhn, s.hidden, s.cache, s.scratch,
        s.recurrentMask, s.hiddenIn, s.rowSteps)
    }
    return true
  }

  func backwardSequence(_ s: SequenceBackwardBuffers) -> Bool {
    guard hasSequenceKernel else { return false }
    rnn_gru_sequence_backward_f32(
      RNNKernels.threads(), Int32(s.steps), Int32(s.batch), Int32(hiddenSize), s.gates, s.cache,
      s.hidden, s.packedWeightHH, s.gradSequence, s.recurrentMask, s.gradHidden, s.scratch,
      s.gradGatesInput, s.gradGatesHidden, s.rowSteps)
    return true
  }
}

/// `body` with the array's base address, or with `nil` for a `nil` array.
private func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
  guard let array else { return body(nil) }
  return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

extension RecurrentLayer {
  /// Runs the forward loop of ``run(_:initialState:batch:time:steps:positions:counts:rowsByCount:inputMask:recurrentMask:)``
  /// with the cell's whole-sequence kernel; `false` (nothing touched) when it has none.
  func forwardWholeSequence(
    steps: Int, batch: Int, gates: UnsafeMutablePointer<Scalar>, projectionBias: [Scalar],
    hidden: UnsafeMutablePointer<Scalar>, cellState: UnsafeMutablePointer<Scalar>?,
    cache: UnsafeMutablePointer<Scalar>, scratch: UnsafeMutablePointer<Scalar>,
    hiddenIn: UnsafeMutablePointer<Scalar>?, recurrentMask: [Scalar]?, counts: [Int],
    packed: UnsafePointer<Scalar>?
  ) -> Bool {
    guard steps > 0, batch > 0, let packed, let kernelCell = cell as? any WholeSequenceCell,
      kernelCell.hasSequenceKernel
    else { return false }
    let rowSteps = counts.map { Int32(clamping: $0) }
    return rowSteps.withUnsafeBufferPointer { rows in
      withOptionalBuffer(recurrentMask) { mask in
        projectionBias.withUnsafeBufferPointer { bias in
          kernelCell.forwardSequence(
            SequenceForwardBuffers(
              steps: steps, batch: batch, gates: RNNKernels.f(gates),
              projectionBias: RNNKernels.f(bias.baseAddress!), hidden: RNNKernels.f(hidden),
              cell: cellState.map { RNNKernels.f($0) }, cache: RNNKernels.f(cache),
              scratch: RNNKernels.f(scratch), hiddenIn: hiddenIn.map { RNNKernels.f($0) },
              recurrentMask: mask.map { RNNKernels.f($0) }, rowSteps: rows.baseAddress!,
              packedWeightHHTransposed: RNNKernels.f(packed)))
        }
      }
    }
  }

  /// Runs the backward loop of ``backward(_:gradOutput:gradStates:)`` with the cell's
  /// whole-sequence kernel; `false` (nothing touched) when it has none. `gradHidden` / `gradCell`
  /// hold `∂L/∂(final states)` on entry and `∂L/∂(initial states)` on return.
  func backwardWholeSequence(
    _ record: RecurrentRecord<Cell>, gradSequence: [Scalar]?,
    gradHidden: UnsafeMutablePointer<Scalar>, gradCell: UnsafeMutablePointer<Scalar>?,
    gradGatesInput: UnsafeMutablePointer<Scalar>, gradGatesHidden: UnsafeMutablePointer<Scalar>,
    arena: ScalarArena<Scalar>
  ) -> Bool {
    let (batch, steps, h) = (record.batch, record.steps, record.cell.hiddenSize)
    guard steps > 0, batch > 0, let kernelCell = record.cell as? any WholeSequenceCell,
      kernelCell.hasSequenceKernel,
      let packed = record.cell.weights.packedHiddenWeights(transposed: false)
    else { return false }
    let bh = batch * h
    // ∂L/∂output gathered into step order, zero at padded slots.
    var stepGradients: UnsafeMutablePointer<Scalar>? = nil
    if let gradSequence {
      let buffer = arena.zeros(steps * bh)
      gradSequence.withUnsafeBufferPointer { g in
        for (k, t) in record.positions.enumerated() where t >= 0 {
          let b = k % batch
          RecurrentMath.copy(
            g.baseAddress! + (b * record.time + t) * h, to: buffer + k * h, count: h)
        }
      }
      stepGradients = buffer
    }
    let scratch = arena.allocate(3 * bh)
    let rowSteps = record.counts.map { Int32(clamping: $0) }
    return rowSteps.withUnsafeBufferPointer { rows in
      withOptionalBuffer(record.recurrentMask) { mask in
        kernelCell.backwardSequence(
          SequenceBackwardBuffers(
            steps: steps, batch: batch, gates: RNNKernels.f(UnsafePointer(record.gates)),
            cache: RNNKernels.f(UnsafePointer(record.cache)),
            hidden: RNNKernels.f(UnsafePointer(record.hidden)),
            cell: record.cellState.map { RNNKernels.f(UnsafePointer($0)) },
            gradSequence: stepGradients.map { RNNKernels.f(UnsafePointer($0)) },
            recurrentMask: mask.map { RNNKernels.f($0) }, gradHidden: RNNKernels.f(gradHidden),
            gradCell: gradCell.map { RNNKernels.f($0) }, scratch: RNNKernels.f(scratch),
            gradGatesInput: RNNKernels.f(gradGatesInput),
            gradGatesHidden: RNNKernels.f(gradGatesHidden), rowSteps: rows.baseAddress!,
            packedWeightHH: RNNKernels.f(packed)))
      }
    }
  }
}
