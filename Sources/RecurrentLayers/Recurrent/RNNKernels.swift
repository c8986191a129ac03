// Dispatch from the generic cells to the fused C kernels (CRecurrentKernels/rnn_pointwise.c).
// Only Float has kernels; Double (gradient checks) runs the plain Swift loops in the cells, which
// are the reference the C kernels are tested against (RecurrentLayer tests compare both).
import CRecurrentKernels
import RecurrentTensor

enum RNNKernels {
  typealias LSTMForward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafeMutablePointer<S>, _ cPrev: UnsafePointer<S>,
    _ hNext: UnsafeMutablePointer<S>, _ cNext: UnsafeMutablePointer<S>,
    _ tanhC: UnsafeMutablePointer<S>
  ) -> Void
  typealias LSTMBackward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafePointer<S>, _ tanhC: UnsafePointer<S>,
    _ cPrev: UnsafePointer<S>, _ dh: UnsafeMutablePointer<S>, _ dcNext: UnsafeMutablePointer<S>,
    _ dcPrev: UnsafeMutablePointer<S>, _ dGates: UnsafeMutablePointer<S>
  ) -> Void
  typealias GRUForward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafeMutablePointer<S>,
    _ hiddenProjection: UnsafeMutablePointer<S>, _ biasHN: UnsafePointer<S>,
    _ hPrev: UnsafePointer<S>, _ hNext: UnsafeMutablePointer<S>, _ ghn: UnsafeMutablePointer<S>
  ) -> Void
  typealias GRUBackward<S> = (
    _ batch: Int, _ hidden: Int, _ gates: UnsafePointer<S>, _ ghn: UnsafePointer<S>,
    _ hPrev: UnsafePointer<S>, _ dh: UnsafeMutablePointer<S>, _ dhPrev: UnsafeMutablePointer<S>,
    _ dGatesInput: UnsafeMutablePointer<S>, _ dGatesHidden: UnsafeMutablePointer<S>
  ) -> Void

  /// Set to `false` (tests only) to run the Swift reference loops for Float too.
  nonisolated(unsafe) static var enabled = true

  /// The thread count of the kernel configuration in effect.
  @inline(__always)
  static func threads() -> Int32 { Int32(clamping: KernelConfiguration.current.threads) }

  @inline(__always)
  static func f<S>(_ p: UnsafePointer<S>) -> UnsafePointer<Float> {
    UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
  }
  @inline(__always)
  static func f<S>(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
  }

  static func lstmForward<S: TensorScalar>(_: S.Type) -> LSTMForward<S>? {
    guard S.self == Float.self, enabled else { return nil }
    return { b, h, g, cp, hn, cn, tc in
      rnn_lstm_forward_mt_f32(threads(), Int32(b), Int32(h), f(g), f(cp), f(hn), f(cn), f(tc))
    }
  }

  static func lstmBackward<S: TensorScalar>(_: S.Type) -> LSTMBackward<S>? {
    guard S.self == Float.self, enabled else { return nil }
    return { b, h, g, tc, cp, dh, dcn, dcp, dg in
      rnn_lstm_backward_mt_f32(
        threads(), Int32(b), Int32(h), f(g), f(tc), f(cp), f(dh), f(dcn), f(dcp), f(dg))
    }
  }

  static func gruForward<S: TensorScalar>(_: S.Type) -> GRUForward<S>? {
    guard S.self == Float.self, enabled else { return nil }
    return { b, h, g, hp, bhn, hprev, hn, ghn in
      rnn_gru_forward_mt_f32(
        threads(), Int32(b), Int32(h), f(g), f(hp), f(bhn), f(hprev), f(hn), f(ghn))
    }
  }

  static func gruBackward<S: TensorScalar>(_: S.Type) -> GRUBackward<S>? {
    guard S.self == Float.self, enabled else { return nil }
    return { b, h, g, ghn, hprev, dh, dhp, dgi, dgh in
      rnn_gru_backward_mt_f32(
        threads(), Int32(b), Int32(h), f(g), f(ghn), f(hprev), f(dh), f(dhp), f(dgi), f(dgh))
    }
  }

  /// `sums[j] += Σ_r m[r, j]` in C for Float; `false` when the caller must loop itself.
  static func addColumnSums<S: TensorScalar>(
    _ m: UnsafePointer<S>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<S>
  ) -> Bool {
    guard S.self == Float.self, enabled else { return false }
    rnn_add_column_sums_f32(f(m), Int32(rows), Int32(columns), f(sums))
    return true
  }

  /// `c = beta·c + a[m×k] · wᵀ` where `w` is `[n, k]` (the hidden product of a forward step):
  /// the C step kernel on `packed` (`wᵀ` packed, see ``RecurrentWeights/packedHiddenWeights(transposed:)``)
  /// for Float, else `Scalar.gemm`.
  @inline(__always)
  static func hiddenProduct<S: TensorScalar>(
    m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int, w: UnsafePointer<S>,
    packed: UnsafePointer<S>?, beta: S, c: UnsafeMutablePointer<S>, ldc: Int
  ) {
    if packedProduct(m: m, n: n, k: k, a: a, lda: lda, packed: packed, beta: beta, c: c, ldc: ldc) {
      return
    }
    S.gemm(
      transposeA: false, transposeB: true, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: w,
      ldb: k, beta: beta, c: c, ldc: ldc)
  }

  /// `c = beta·c + a[m×k] · w` where `w` is `[k, n]` with row stride `ldw` (the hidden-state
  /// gradient of a backward step): the C step kernel on `packed` (`w` packed) for Float, else
  /// `Scalar.gemm`.
  @inline(__always)
  static func gradientProduct<S: TensorScalar>(
    m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int, w: UnsafePointer<S>, ldw: Int,
    packed: UnsafePointer<S>?, beta: S, c: UnsafeMutablePointer<S>, ldc: Int
  ) {
    if packedProduct(m: m, n: n, k: k, a: a, lda: lda, packed: packed, beta: beta, c: c, ldc: ldc) {
      return
    }
    S.gemm(
      transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: w,
      ldb: ldw, beta: beta, c: c, ldc: ldc)
  }

  /// `c = beta·c + a[m×k] · B` with B already packed by `rnn_step_pack_f32` (either orientation:
  /// the packing fixed it). Returns false when the C step kernel does not apply (not Float, no
  /// packed copy, kernels disabled) and the caller must use `Scalar.gemm`.
  @inline(__always)
  private static func packedProduct<S: TensorScalar>(
    m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int, packed: UnsafePointer<S>?, beta: S,
    c: UnsafeMutablePointer<S>, ldc: Int
  ) -> Bool {
    guard let packed, S.self == Float.self, enabled else { return false }
    rnn_step_gemm_packed_f32(
      Int32(KernelConfiguration.current.threads), Int32(m), Int32(n), Int32(k), f(a), Int32(lda),
      f(packed), beta == 0 ? 0 : 1, f(c), Int32(ldc))
    return true
  }
}
