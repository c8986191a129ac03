// Matrix products through `Scalar.gemm` (the kernels' GEMM for Float), with their backward.

/// The matrix product `op(a) · op(b)`, where `op(x)` transposes when asked.
///
/// `a` is `[M, K]` (`[K, M]` if `transposeA`), `b` is `[K, N]` (`[N, K]` if `transposeB`); the
/// result is `[M, N]`. Without `transposeA`, `a` may have more axes `[..., K]`: the leading axes
/// are flattened into rows, so `[B, T, D] · [D, H]` projects every time step in one product and
/// returns `[B, T, H]`. Mismatched inner extents are a programmer error (precondition naming both
/// shapes).
///
/// ```swift
/// let y = matmul(x, w)                      // [B, T, D] · [D, H] → [B, T, H]
/// let z = matmul(h, u, transposeB: true)    // [B, H] · [G, H]ᵀ → [B, G] (PyTorch weight layout)
/// ```
@inlinable
public func matmul<Scalar>(
  _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor<Scalar> {
  precondition(
    b.rank == 2 && (transposeA ? a.rank == 2 : a.rank >= 2),
    "matmul: shapes \(a.shape) and \(b.shape) do not fit (a must be rank 2, or rank ≥ 2 without "
      + "transposeA; b rank 2)")
  let leading = Array(a.shape.dropLast(transposeA ? 2 : 1))
  let (m, k) =
    transposeA ? (a.shape[1], a.shape[0]) : (leading.reduce(1, *), a.shape[a.rank - 1])
  let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
  precondition(
    k == kb,
    "matmul: inner extents differ, shapes \(a.shape)\(transposeA ? "ᵀ" : "") and "
      + "\(b.shape)\(transposeB ? "ᵀ" : "")")
  let outShape = transposeA ? [m, n] : leading + [n]
  var c = [Scalar](repeating: 0, count: m * n)
  if m > 0 && n > 0 && k > 0 {
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          Scalar.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
            a: pa.baseAddress!, lda: transposeA ? m : k, b: pb.baseAddress!,
            ldb: transposeB ? k : n, beta: 0, c: pc.baseAddress!, ldc: n)
        }
      }
    }
  }
  return Tensor(shape: outShape, scalars: c)
}

/// One matrix product per batch entry: `a` `[N, M, K]` (`[N, K, M]` if `transposeA`) times `b`
/// `[N, K, P]` (`[N, P, K]` if `transposeB`) gives `[N, M, P]` (attention scores, say).
@inlinable
public func batchedMatmul<Scalar>(
  _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor<Scalar> {
  precondition(
    a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
    "batchedMatmul: shapes \(a.shape) and \(b.shape) do not fit (need [N, M, K] and [N, K, P])")
  let batch = a.shape[0]
  let (m, k) = transposeA ? (a.shape[2], a.shape[1]) : (a.shape[1], a.shape[2])
  let (kb, n) = transposeB ? (b.shape[2], b.shape[1]) : (b.shape[1], b.shape[2])
  precondition(
    k == kb,
    "batchedMatmul: inner extents differ, shapes \(a.shape)\(transposeA ? "ᵀ" : "") and "
      + "\(b.shape)\(transposeB ? "ᵀ" : "")")
  var c = [Scalar](repeating: 0, count: batch * m * n)
  if batch > 0 && m > 0 && n > 0 && k > 0 {
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          for i in 0..<batch {
            Scalar.gemm(
              transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
              a: pa.baseAddress! + i * m * k, lda: transposeA ? m : k,
              b: pb.baseAddress! + i * k * n, ldb: transposeB ? k : n, beta: 0,
              c: pc.baseAddress! + i * m * n, ldc: n)
          }
        }
      }
    }
  }
  return Tensor(shape: [batch, m, n], scalars: c)
}

/// Differentiable ``matmul(_:_:transposeA:transposeB:)-(Tensor,Tensor,_,_)``.
///
/// With `C = A·B`: `dA = dC·Bᵀ`, `dB = Aᵀ·dC`; the transposed variants follow by transposing
/// those products (see the backward below). Leading axes of `a` are flattened as in the forward.
@inlinable
public func matmul<Scalar>(
  _ a: Variable<Scalar>, _ b: Variable<Scalar>, transposeA: Bool = false, transposeB: Bool = false
) -> Variable<Scalar> {
  let (av, bv) = (a.value, b.value)
  let y = matmul(av, bv, transposeA: transposeA, transposeB: transposeB)
  guard let tape = Tape.common(a, b) else { return Variable(y) }
  return tape.record("matmul", inputs: [a, b], outputs: [y]) { g in
    // Work on 2-D views: A2 [M, K] (or [K, M]), dC2 [M, N].
    let a2 = transposeA ? av : av.reshaped([-1, av.shape[av.rank - 1]])
    let dc = g[0].reshaped([-1, y.shape[y.rank - 1]])
    let da: Tensor<Scalar>
    let db: Tensor<Scalar>
    switch (transposeA, transposeB) {
    case (false, false):
      da = matmul(dc, bv, transposeB: true)
      db = matmul(a2, dc, transposeA: true)
    case (true, false):
      da = matmul(bv, dc, transposeB: true)
      db = matmul(a2, dc)
    case (false, true):
      da = matmul(dc, bv)
      db = matmul(dc, a2, transposeA: true)
    case (true, true):
      da = matmul(bv, dc, transposeA: true, transposeB: true)
      db = matmul(dc, a2, transposeA: true, transposeB: true)
    }
    return [da.reshaped(av.shape), db]
  }[0]
}

/// Differentiable ``batchedMatmul(_:_:transposeA:transposeB:)-(Tensor,Tensor,_,_)``; the
/// backward applies the 2-D rules of ``matmul(_:_:transposeA:transposeB:)-(Variable,Variable,_,_)``
/// per batch entry.
@inlinable
public func batchedMatmul<Scalar>(
  _ a: Variable<Scalar>, _ b: Variable<Scalar>, transposeA: Bool = false, transposeB: Bool = false
) -> Variable<Scalar> {
  let (av, bv) = (a.value, b.value)
  let y = batchedMatmul(av, bv, transposeA: transposeA, transposeB: transposeB)
  guard let tape = Tape.common(a, b) else { return Variable(y) }
  return tape.record("batchedMatmul", inputs: [a, b], outputs: [y]) { g in
    let dc = g[0]
    switch (transposeA, transposeB) {
    case (false, false):
      return [batchedMatmul(dc, bv, transposeB: true), batchedMatmul(av, dc, transposeA: true)]
    case (true, false):
      return [batchedMatmul(bv, dc, transposeB: true), batchedMatmul(av, dc)]
    case (false, true):
      return [batchedMatmul(dc, bv), batchedMatmul(dc, av, transposeA: true)]
    case (true, true):
      return [
        batchedMatmul(bv, dc, transposeA: true, transposeB: true),
        batchedMatmul(dc, av, transposeA: true, transposeB: true),
      ]
    }
  }[0]
}
