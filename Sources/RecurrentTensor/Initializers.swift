// Weight initializers matching Keras and PyTorch, drawing from an explicit RandomGenerator.

extension Tensor {
  /// Uniform samples in `[-bound, bound)`. PyTorch's default for recurrent and linear layers is
  /// `bound = 1 / √H` (`1 / √fanIn` for Linear).
  ///
  /// ```swift
  /// let w = Tensor<Float>(uniform: [4 * H, D], bound: 1 / Float(H).squareRoot(), using: &rng)
  /// ```
  @inlinable
  public init(uniform shape: [Int], bound: Scalar, using rng: inout RandomGenerator) {
    let b = Double(bound)
    self.init(shape: shape) { out in
      for i in out.indices { out[i] = Scalar(-b + 2 * b * rng.nextUniform()) }
    }
  }

  /// Normal samples with the given mean and standard deviation (Box–Muller).
  @inlinable
  public init(
    normal shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
    using rng: inout RandomGenerator
  ) {
    self.init(shape: shape) { out in
      for i in out.indices {
        out[i] = Scalar(Double(mean) + Double(standardDeviation) * rng.nextNormal())
      }
    }
  }

  /// Keras `GlorotUniform`: uniform in `±√(6 / (fanIn + fanOut))`, with Keras's fans — for
  /// `[fanIn, fanOut]` kernels the two extents; for rank > 2 the receptive field (all axes but the
  /// last two) multiplies both.
  public init(glorotUniform shape: [Int], using rng: inout RandomGenerator) {
    precondition(shape.count >= 1, "glorotUniform needs rank ≥ 1, received \(shape)")
    let (fanIn, fanOut): (Int, Int)
    switch shape.count {
    case 1: (fanIn, fanOut) = (shape[0], shape[0])
    case 2: (fanIn, fanOut) = (shape[0], shape[1])
    default:
      let receptive = shape.dropLast(2).reduce(1, *)
      (fanIn, fanOut) = (shape[shape.count - 2] * receptive, shape[shape.count - 1] * receptive)
    }
    let limit = (6 / Double(max(fanIn + fanOut, 1))).squareRoot()
    self.init(uniform: shape, bound: Scalar(limit), using: &rng)
  }

  /// Keras `Orthogonal`: the `[rows, cols]` flattening (`rows` = product of all axes but the
  /// last) of a matrix with orthonormal columns (or rows, when `rows < cols`), times `gain`.
  /// As Keras: take a normal matrix `[max(rows, cols), min(rows, cols)]`, its QR factorization
  /// `Q·R`, make `R`'s diagonal positive (`Q · sign(diag R)`), transpose if `rows < cols`. QR is
  /// done by modified Gram–Schmidt in `Double`, which yields that positive-diagonal `Q` directly.
  /// Recurrent kernels `[H, 4H]` use it in Keras.
  public init(orthogonal shape: [Int], gain: Scalar = 1, using rng: inout RandomGenerator) {
    precondition(shape.count >= 2, "orthogonal needs rank ≥ 2, received \(shape)")
    let rows = shape.dropLast().reduce(1, *)
    let cols = shape[shape.count - 1]
    let (n, k) = (max(rows, cols), min(rows, cols))
    // Keras draws the normal matrix [max, min] row-major, then takes Q of its QR factorization.
    let q = Self.orthonormalColumns((0..<(n * k)).map { _ in rng.nextNormal() }, rows: n, cols: k)
    let g = Double(gain)
    self.init(shape: shape) { out in
      for r in 0..<rows {
        for c in 0..<cols {
          // q is n × k row-major; Keras uses qᵀ when rows < cols.
          out[r * cols + c] = Scalar(g * (rows >= cols ? q[r * k + c] : q[c * k + r]))
        }
      }
    }
  }

  /// `Q` of the QR factorization `a = Q·R` of a row-major `n × k` matrix (`n ≥ k`, full column
  /// rank) with `R`'s diagonal positive — numpy's `qr` followed by `Q · sign(diag R)`, as Keras
  /// does. Modified Gram–Schmidt, which produces that positive-diagonal `Q` directly.
  static func orthonormalColumns(_ a: [Double], rows n: Int, cols k: Int) -> [Double] {
    precondition(n >= k && a.count == n * k, "orthonormalColumns needs n ≥ k and n·k values")
    // Column-major copy so each column is contiguous for the sweeps.
    var q = [Double](repeating: 0, count: n * k)
    for i in 0..<n { for j in 0..<k { q[j * n + i] = a[i * k + j] } }
    for j in 0..<k {
      for p in 0..<j {
        var dot = 0.0
        for i in 0..<n { dot += q[p * n + i] * q[j * n + i] }
        for i in 0..<n { q[j * n + i] -= dot * q[p * n + i] }
      }
      var norm = 0.0
      for i in 0..<n { norm += q[j * n + i] * q[j * n + i] }
      norm = norm.squareRoot()
      for i in 0..<n { q[j * n + i] /= norm }
    }
    var out = [Double](repeating: 0, count: n * k)
    for i in 0..<n { for j in 0..<k { out[i * k + j] = q[j * n + i] } }
    return out
  }
}
