// GRU: one step forward and backward, in both variants. Reset-after is PyTorch's nn.GRU and
// cuDNN's formula (https://pytorch.org/docs/stable/generated/torch.nn.GRU.html) and Keras'
// default `reset_after=True`; reset-before is the original Cho et al. (2014) formula and Keras'
// `reset_after=False`.
import RecurrentTensor

/// One step of a gated recurrent unit, PyTorch gate order `r | z | n`.
///
/// For input `x` `[B, D]` and state `h` `[B, H]`, reset-after (the default, PyTorch and cuDNN):
///
///     r  = σ(W_ir x + b_ir + W_hr h + b_hr)
///     z  = σ(W_iz x + b_iz + W_hz h + b_hz)
///     n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
///     h' = (1 − z) ⊙ n + z ⊙ h
///
/// Reset-before (`resetAfter: false`, Keras `GRU(reset_after=False)`) applies the reset gate to
/// the state before the product: `n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)`.
///
/// `weightIH` is `[3H, D]` = rows `W_ir; W_iz; W_in`, `weightHH` is `[3H, H]` in the same order,
/// `biasIH` / `biasHH` are `[3H]` — PyTorch's `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`,
/// `bias_hh_l0`. (Keras stores the transpose with order `z, r, h`.) State: `[h]`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 3)
/// let cell = GRUCell<Float>(inputSize: 16, hiddenSize: 32, generator: &rng)
/// ```
public struct GRUCell<Scalar: TensorScalar>: RecurrentCell {
  public static var gateCount: Int { 3 }
  public static var stateCount: Int { 1 }
  public let inputSize: Int
  public let hiddenSize: Int
  /// `true`: PyTorch / cuDNN formula (reset gate applied after the hidden product).
  public let resetAfter: Bool
  public var weights: RecurrentWeights<Scalar>
  /// Reset-after caches `W_hn h + b_hn` per step; reset-before caches `r ⊙ h`.
  public var cacheWidth: Int { hiddenSize }
  public var hiddenGradientsEqualInputGradients: Bool { !resetAfter }

  /// A cell with PyTorch's initialisation (uniform `±1/√H`).
  public init(
    inputSize: Int, hiddenSize: Int, resetAfter: Bool = true,
    generator: inout some RandomNumberGenerator
  ) {
    precondition(
      inputSize > 0 && hiddenSize > 0,
      "GRUCell sizes must be positive, received inputSize \(inputSize), hiddenSize \(hiddenSize)")
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.resetAfter = resetAfter
    weights = RecurrentWeights(
      pytorchUniformGates: 3, inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator)
  }

  /// A cell with the given weights (PyTorch layout); throws when a shape does not fit.
  public init(
    inputSize: Int, hiddenSize: Int, resetAfter: Bool = true, weights: RecurrentWeights<Scalar>
  ) throws {
    try weights.validate(gates: 3, inputSize: inputSize, hiddenSize: hiddenSize)
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.resetAfter = resetAfter
    self.weights = weights
  }

  /// A cell whose input size is not known yet (`inputSize` 0, empty weights); a layer builds
  /// it with ``resized(inputSize:generator:)`` on first use, as Keras does.
  public init(hiddenSize: Int, resetAfter: Bool = true) {
    precondition(hiddenSize > 0, "GRUCell hiddenSize must be positive, received \(hiddenSize)")
    self.inputSize = 0
    self.hiddenSize = hiddenSize
    self.resetAfter = resetAfter
    weights = RecurrentWeights(zerosGates: 3, inputSize: 0, hiddenSize: hiddenSize)
  }

  public static var kerasClassName: String { "GRU" }
  public var config: [String: ConfigValue] {
    ["units": .int(hiddenSize), "reset_after": .bool(resetAfter)]
  }
  public func resized(inputSize: Int, generator: inout some RandomNumberGenerator) -> Self {
    GRUCell(
      inputSize: inputSize, hiddenSize: hiddenSize, resetAfter: resetAfter, generator: &generator)
  }

  public func projectionBias() -> [Scalar] {
    // b_hr and b_hz sit outside every product and fold in; b_hn folds in only for reset-before
    // (for reset-after it is multiplied by r).
    let h = hiddenSize
    var bias = weights.biasIH.scalars
    let bhh = weights.biasHH.scalars
    for j in 0..<(resetAfter ? 2 * h : 3 * h) { bias[j] += bhh[j] }
    return bias
  }

  @_specialize(where Scalar == Float)
  public func forward(_ s: CellForwardStep<Scalar>) {
    if resetAfter { forwardResetAfter(s) } else { forwardResetBefore(s) }
  }

  @_specialize(where Scalar == Float)
  public func backward(_ s: CellBackwardStep<Scalar>) {
    if resetAfter { backwardResetAfter(s) } else { backwardResetBefore(s) }
  }

  // MARK: reset-after

  private func forwardResetAfter(_ s: CellForwardStep<Scalar>) {
    let h = hiddenSize
    let gh = 3 * h
    // scratch = h_{t-1} · W_hhᵀ, kept apart from the input projection because r multiplies it.
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      RNNKernels.hiddenProduct(
        m: s.batch, n: gh, k: h, a: s.hiddenIn, lda: h, w: whh.baseAddress!,
        packed: s.packedWeightHHTransposed, beta: 0, c: s.scratch, ldc: gh)
    }
    weights.biasHH.scalars.withUnsafeBufferPointer { bhh in
      let bhn = bhh.baseAddress! + 2 * h
      if let kernel = RNNKernels.gruForward(Scalar.self) {
        kernel(s.batch, h, s.gates, s.scratch, bhn, s.hidden, s.nextHidden, s.cache)
        return
      }
      for b in 0..<s.batch {
        let row = s.gates + b * gh
        let hid = s.scratch + b * gh
        for j in 0..<(2 * h) { row[j] += hid[j] }
        Scalar.vectorSigmoid(row, row, count: 2 * h)  // r, z
        let ghn = s.cache + b * h
        for j in 0..<h {
          ghn[j] = hid[2 * h + j] + bhn[j]
          row[2 * h + j] += row[j] * ghn[j]
        }
        Scalar.vectorTanh(row + 2 * h, row + 2 * h, count: h)  // n
        let hPrev = s.hidden + b * h
        let hNext = s.nextHidden + b * h
        for j in 0..<h {
          let z = row[h + j]
          hNext[j] = (1 - z) * row[2 * h + j] + z * hPrev[j]
        }
      }
    }
  }

  private func backwardResetAfter(_ s: CellBackwardStep<Scalar>) {
    let h = hiddenSize
    let gh = 3 * h
    if let kernel = RNNKernels.gruBackward(Scalar.self) {
      kernel(
        s.batch, h, s.gates, s.cache, s.hidden, s.gradNextHidden, s.gradHidden, s.gradGatesInput,
        s.gradGatesHidden)
    } else {
      for b in 0..<s.batch {
        let gate = s.gates + b * gh
        let ghn = s.cache + b * h
        let hPrev = s.hidden + b * h
        let dh = s.gradNextHidden + b * h
        let dhPrev = s.gradHidden + b * h
        let dGI = s.gradGatesInput + b * gh
        let dGH = s.gradGatesHidden + b * gh
        for j in 0..<h {
          let r = gate[j]
          let z = gate[h + j]
          let n = gate[2 * h + j]
          let dn = dh[j] * (1 - z)
          let dan = dn * (1 - n * n)
          let dar = dan * ghn[j] * r * (1 - r)
          let daz = dh[j] * (hPrev[j] - n) * z * (1 - z)
          dhPrev[j] = dh[j] * z
          dGI[j] = dar
          dGI[h + j] = daz
          dGI[2 * h + j] = dan
          dGH[j] = dar
          dGH[h + j] = daz
          dGH[2 * h + j] = dan * r
        }
      }
    }
    // ∂L/∂h_{t-1} (+)= dG_h · W_hh
    let target = s.gradHiddenIn ?? s.gradHidden
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      RNNKernels.gradientProduct(
        m: s.batch, n: h, k: gh, a: s.gradGatesHidden, lda: gh, w: whh.baseAddress!, ldw: h,
        packed: s.packedWeightHH, beta: s.gradHiddenIn == nil ? 1 : 0, c: target, ldc: h)
    }
  }

  // MARK: reset-before

  private func forwardResetBefore(_ s: CellForwardStep<Scalar>) {
    let h = hiddenSize
    let gh = 3 * h
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      let w = whh.baseAddress!
      // r, z blocks: gates[:, 0..<2H] += h_{t-1} · W_{hr,hz}ᵀ
      Scalar.gemm(
        transposeA: false, transposeB: true, m: s.batch, n: 2 * h, k: h, alpha: 1, a: s.hiddenIn,
        lda: h, b: w, ldb: h, beta: 1, c: s.gates, ldc: gh)
      for b in 0..<s.batch {
        let row = s.gates + b * gh
        Scalar.vectorSigmoid(row, row, count: 2 * h)
        let rh = s.cache + b * h
        let hin = s.hiddenIn + b * h
        for j in 0..<h { rh[j] = row[j] * hin[j] }
      }
      // n block: gates[:, 2H..<3H] += (r ⊙ h) · W_hnᵀ
      Scalar.gemm(
        transposeA: false, transposeB: true, m: s.batch, n: h, k: h, alpha: 1, a: s.cache, lda: h,
        b: w + 2 * h * h, ldb: h, beta: 1, c: s.gates + 2 * h, ldc: gh)
    }
    for b in 0..<s.batch {
      let row = s.gates + b * gh
      Scalar.vectorTanh(row + 2 * h, row + 2 * h, count: h)
      let hPrev = s.hidden + b * h
      let hNext = s.nextHidden + b * h
      for j in 0..<h {
        let z = row[h + j]
        hNext[j] = (1 - z) * row[2 * h + j] + z * hPrev[j]
      }
    }
  }

  private func backwardResetBefore(_ s: CellBackwardStep<Scalar>) {
    let h = hiddenSize
    let gh = 3 * h
    // dG_n and dG_z first; they do not depend on r's gradient.
    for b in 0..<s.batch {
      let gate = s.gates + b * gh
      let hPrev = s.hidden + b * h
      let dh = s.gradNextHidden + b * h
      let dhPrev = s.gradHidden + b * h
      let dG = s.gradGatesInput + b * gh
      for j in 0..<h {
        let z = gate[h + j]
        let n = gate[2 * h + j]
        dG[2 * h + j] = dh[j] * (1 - z) * (1 - n * n)
        dG[h + j] = dh[j] * (hPrev[j] - n) * z * (1 - z)
        dhPrev[j] = dh[j] * z
      }
    }
    let dHiddenIn = s.gradHiddenIn ?? s.gradHidden
    let dRH = s.scratch  // [B, H]: ∂L/∂(r ⊙ h)
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      let w = whh.baseAddress!
      Scalar.gemm(
        transposeA: false, transposeB: false, m: s.batch, n: h, k: h, alpha: 1,
        a: s.gradGatesInput + 2 * h, lda: gh, b: w + 2 * h * h, ldb: h, beta: 0, c: dRH, ldc: h)
      let accumulate = s.gradHiddenIn == nil
      for b in 0..<s.batch {
        let gate = s.gates + b * gh
        let hin = s.hiddenIn + b * h
        let drh = dRH + b * h
        let dG = s.gradGatesInput + b * gh
        let dhin = dHiddenIn + b * h
        for j in 0..<h {
          let r = gate[j]
          dG[j] = drh[j] * hin[j] * r * (1 - r)
          dhin[j] = (accumulate ? dhin[j] : 0) + drh[j] * r
        }
      }
      // ∂L/∂hiddenIn += dG_{r,z} · W_{hr,hz}
      Scalar.gemm(
        transposeA: false, transposeB: false, m: s.batch, n: h, k: 2 * h, alpha: 1,
        a: s.gradGatesInput, lda: gh, b: w, ldb: h, beta: 1, c: dHiddenIn, ldc: h)
    }
  }

  public func accumulateHiddenWeightGradients(
    rows: Int, gradGates: UnsafePointer<Scalar>, hiddenIn: UnsafePointer<Scalar>,
    cache: UnsafePointer<Scalar>, gradWeightHH: UnsafeMutablePointer<Scalar>,
    gradBiasHH: UnsafeMutablePointer<Scalar>?
  ) {
    let h = hiddenSize
    let gh = 3 * h
    guard rows > 0 else { return }
    // Reset-after: every block multiplies h_{t-1}. Reset-before: the n block multiplies r ⊙ h.
    let nOperand = resetAfter ? hiddenIn : cache
    Scalar.gemm(
      transposeA: true, transposeB: false, m: 2 * h, n: h, k: rows, alpha: 1, a: gradGates,
      lda: gh, b: hiddenIn, ldb: h, beta: 1, c: gradWeightHH, ldc: h)
    Scalar.gemm(
      transposeA: true, transposeB: false, m: h, n: h, k: rows, alpha: 1, a: gradGates + 2 * h,
      lda: gh, b: nOperand, ldb: h, beta: 1, c: gradWeightHH + 2 * h * h, ldc: h)
    if let gradBiasHH {
      RecurrentMath.addColumnSums(gradGates, rows: rows, columns: gh, into: gradBiasHH)
    }
  }
}
