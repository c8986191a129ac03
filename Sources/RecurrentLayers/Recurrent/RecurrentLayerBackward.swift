// Backpropagation through time for RecurrentLayer, written out by hand: the cells give the gate
// gradients step by step (newest first); the weight and input gradients are then three large
// products over all steps at once.
import RecurrentTensor

extension RecurrentLayer {
  /// Backpropagation through time for one ``forward(_:initialState:mask:training:generator:)``
  /// call.
  ///
  /// - Parameters:
  ///   - record: what the forward call returned.
  ///   - gradOutput: `∂L/∂output` (`[B, T, H]` or `[B, H]`, as the output); `nil` means zero.
  ///   - gradStates: `∂L/∂(final states)`, `[h]` or `[h, c]`; missing or `nil` entries are zero.
  /// - Returns: `∂L/∂x` `[B, T, D]`, `∂L/∂(initial states)` and `∂L/∂(weights)`. The weights
  ///   used are the record's (those of the forward call).
  /// - Throws: ``RecurrentError`` when a gradient's shape does not fit.
  @_specialize(where Cell == LSTMCell<Float>)
  @_specialize(where Cell == GRUCell<Float>)
  @_specialize(where Cell == SimpleRNNCell<Float>)
  public func backward(
    _ record: RecurrentRecord<Cell>, gradOutput: Tensor<Scalar>?,
    gradStates: [Tensor<Scalar>?] = []
  ) throws -> SequenceGradients<Scalar, RecurrentWeights<Scalar>> {
    let cell = record.cell
    let (batch, time, steps) = (record.batch, record.time, record.steps)
    let d = cell.inputSize
    let h = cell.hiddenSize
    let gw = cell.gateWidth
    let bh = batch * h
    let rows = steps * batch
    let stateCount = Cell.stateCount
    let outputShape = record.returnSequences ? [batch, time, h] : [batch, h]
    if let gradOutput, gradOutput.shape != outputShape {
      throw RecurrentError.inputShape(
        expected: "gradOutput \(outputShape)", received: gradOutput.shape)
    }
    guard gradStates.count <= stateCount else {
      throw RecurrentError.initialState(
        "gradStates holds at most \(stateCount) tensor(s), received \(gradStates.count)")
    }
    for case let (k, g?) in gradStates.enumerated() where g.shape != [batch, h] {
      throw RecurrentError.initialState(
        "gradStates[\(k)] must be [B, H] = [\(batch), \(h)], received \(g.shape)")
    }

    let arena = ScalarArena<Scalar>()
    var dh = arena.zeros(bh)
    var dhPrev = arena.zeros(bh)
    var dc = stateCount == 2 ? arena.zeros(bh) : nil
    var dcPrev = stateCount == 2 ? arena.zeros(bh) : nil
    let carryH = arena.allocate(bh)
    let carryC = arena.allocate(bh)
    let dHiddenIn = record.recurrentMask == nil ? nil : arena.allocate(bh)
    // Not zeroed: every backward step overwrites its rows (the CellBackwardStep contract).
    let gradGatesInput = arena.allocate(rows * gw)
    let gradGatesHidden =
      cell.hiddenGradientsEqualInputGradients ? gradGatesInput : arena.allocate(rows * gw)
    let scratch = arena.allocate(batch * gw)

    if let g = gradStates.first ?? nil { dh.update(from: g.scalars, count: bh) }
    if gradStates.count > 1, let g = gradStates[1], let dc { dc.update(from: g.scalars, count: bh) }
    if !record.returnSequences, let gradOutput {
      for i in 0..<bh { dh[i] += gradOutput.scalars[i] }
    }

    let gradSequence = record.returnSequences ? gradOutput?.scalars : nil
    let ranWholeSequence = backwardWholeSequence(
      record, gradSequence: gradSequence, gradHidden: dh, gradCell: dc,
      gradGatesInput: gradGatesInput, gradGatesHidden: gradGatesHidden, arena: arena)
    if !ranWholeSequence {
      let packedWeightHH = steps > 0 ? cell.weights.packedHiddenWeights(transposed: false) : nil
      for s in stride(from: steps - 1, through: 0, by: -1) {
        if let gradSequence {
          for b in 0..<batch {
            let t = record.positions[s * batch + b]
            guard t >= 0 else { continue }
            let src = (b * time + t) * h
            for j in 0..<h { dh[b * h + j] += gradSequence[src + j] }
          }
        }
        // Rows that had ended by step s pass their gradient through untouched: park it, and give
        // the cell zeros so it adds nothing to the gate gradients for those rows.
        let inactive = record.inactiveCount(atStep: s)
        for k in 0..<inactive {
          let o = record.rowsByCount[k] * h
          RecurrentMath.copy(dh + o, to: carryH + o, count: h)
          RecurrentMath.zero(dh + o, count: h)
          if let dc {
            RecurrentMath.copy(dc + o, to: carryC + o, count: h)
            RecurrentMath.zero(dc + o, count: h)
          }
        }
        let hPrev = record.hidden + s * bh
        cell.backward(
          CellBackwardStep(
            batch: batch, gates: record.gates + s * batch * gw,
            cache: record.cache + s * batch * cell.cacheWidth,
            hiddenIn: record.hiddenIn.map { UnsafePointer($0 + s * bh) } ?? UnsafePointer(hPrev),
            hidden: hPrev, cell: record.cellState.map { UnsafePointer($0 + s * bh) },
            nextHidden: hPrev + bh,
            nextCell: record.cellState.map { UnsafePointer($0 + (s + 1) * bh) },
            gradNextHidden: dh, gradNextCell: dc, gradHidden: dhPrev, gradCell: dcPrev,
            gradHiddenIn: dHiddenIn, gradGatesInput: gradGatesInput + s * batch * gw,
            gradGatesHidden: gradGatesHidden + s * batch * gw, scratch: scratch,
            packedWeightHH: packedWeightHH))
        if let dHiddenIn, let mask = record.recurrentMask {
          for i in 0..<bh { dhPrev[i] += dHiddenIn[i] * mask[i] }
        }
        for k in 0..<inactive {
          let o = record.rowsByCount[k] * h
          RecurrentMath.copy(carryH + o, to: dhPrev + o, count: h)
          if let dcPrev { RecurrentMath.copy(carryC + o, to: dcPrev + o, count: h) }
        }
        swap(&dh, &dhPrev)
        swap(&dc, &dcPrev)
      }
    }

    var initialStates = [
      Tensor(shape: [batch, h], scalars: Array(UnsafeBufferPointer(start: dh, count: bh)))
    ]
    if let dc {
      initialStates.append(
        Tensor(shape: [batch, h], scalars: Array(UnsafeBufferPointer(start: dc, count: bh))))
    }

    // Weight gradients over all steps at once.
    var gradWeights = RecurrentWeights<Scalar>(
      zerosGates: Cell.gateCount, inputSize: d, hiddenSize: h)
    var gradX = [Scalar](repeating: 0, count: batch * time * d)
    if rows > 0 {
      gradWeights.weightIH.scalars.withUnsafeMutableBufferPointer { dw in
        // dW_ih = dGᵀ · inputs
        Scalar.gemm(
          transposeA: true, transposeB: false, m: gw, n: d, k: rows, alpha: 1, a: gradGatesInput,
          lda: gw, b: record.inputs, ldb: d, beta: 0, c: dw.baseAddress!, ldc: d)
      }
      gradWeights.biasIH.scalars.withUnsafeMutableBufferPointer { db in
        RecurrentMath.addColumnSums(gradGatesInput, rows: rows, columns: gw, into: db.baseAddress!)
      }
      // Local buffers: weightHH has an observer, so it cannot be borrowed beside biasHH.
      var dWeightHH = [Scalar](repeating: 0, count: gw * h)
      // Equal gate gradients (LSTM, SimpleRNN, reset-before GRU): b_hh's gradient is the same
      // column sums as b_ih's, so it is copied rather than summed again.
      let shareBias = cell.hiddenGradientsEqualInputGradients
      var dBiasHH =
        shareBias ? gradWeights.biasIH.scalars : [Scalar](repeating: 0, count: gw)
      dWeightHH.withUnsafeMutableBufferPointer { dw in
        dBiasHH.withUnsafeMutableBufferPointer { db in
          cell.accumulateHiddenWeightGradients(
            rows: rows, gradGates: gradGatesHidden,
            hiddenIn: UnsafePointer(record.hiddenIn ?? record.hidden), cache: record.cache,
            gradWeightHH: dw.baseAddress!, gradBiasHH: shareBias ? nil : db.baseAddress!)
        }
      }
      gradWeights.weightHH.scalars = dWeightHH
      gradWeights.biasHH.scalars = dBiasHH
      // ∂L/∂inputs = dG · W_ih, scattered back to time positions through the dropout mask.
      let gradInputs = arena.allocate(rows * d)
      cell.weights.weightIH.scalars.withUnsafeBufferPointer { w in
        Scalar.gemm(
          transposeA: false, transposeB: false, m: rows, n: d, k: gw, alpha: 1, a: gradGatesInput,
          lda: gw, b: w.baseAddress!, ldb: d, beta: 0, c: gradInputs, ldc: d)
      }
      gradX.withUnsafeMutableBufferPointer { gx in
        for (k, t) in record.positions.enumerated() where t >= 0 {
          let b = k % batch
          let dst = gx.baseAddress! + (b * time + t) * d
          let src = gradInputs + k * d
          if let mask = record.inputMask {
            for j in 0..<d { dst[j] = src[j] * mask[b * d + j] }
          } else {
            RecurrentMath.copy(src, to: dst, count: d)
          }
        }
      }
    }
    return SequenceGradients(
      input: Tensor(shape: [batch, time, d], scalars: gradX), initialStates: initialStates,
      weights: gradWeights)
  }
}
