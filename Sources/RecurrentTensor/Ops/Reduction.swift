// Sums, means and the (log-)softmax over the last axis, with their backward passes.

extension Tensor {
  /// `axis` with negative values counted from the end (`-1` is the last axis).
  @inlinable
  func normalizedAxis(_ axis: Int, _ name: String) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < rank, "\(name): axis \(axis) is out of range for shape \(shape)")
    return a
  }

  /// The tensor viewed as `[outer, shape[axis], inner]`.
  @inlinable
  func splitAround(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// Sum over one axis, keeping it with extent 1.
  @inlinable
  func sumKeeping(axis: Int) -> Tensor {
    let (outer, n, inner) = splitAround(axis)
    var newShape = shape
    newShape[axis] = 1
    var out = [Scalar](repeating: 0, count: outer * inner)
    if out.isEmpty || n == 0 { return Tensor(shape: newShape, scalars: out) }
    scalars.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { o in
        for p in 0..<outer {
          let dst = o.baseAddress! + p * inner
          for j in 0..<n {
            let src = x.baseAddress! + (p * n + j) * inner
            if inner >= 16 {
              Scalar.axpy(1, src, dst, count: inner)  // SIMD kernel; short rows stay inline
            } else {
              for i in 0..<inner { dst[i] += src[i] }
            }
          }
        }
      }
    }
    return Tensor(shape: newShape, scalars: out)
  }

  /// Repeats this tensor along the axes where it has extent 1 to reach `target` (same rank).
  @inlinable
  public func expanded(to target: [Int]) -> Tensor {
    precondition(
      target.count == rank && zip(shape, target).allSatisfy { $0 == $1 || $0 == 1 },
      "expanded: shape \(shape) cannot expand to \(target)")
    var result = self
    for axis in 0..<rank where shape[axis] != target[axis] {
      let (outer, _, inner) = result.splitAround(axis)
      let n = target[axis]
      var newShape = result.shape
      newShape[axis] = n
      let source = result
      if inner == 0 || outer == 0 || n == 0 {
        result = Tensor(zeros: newShape)
        continue
      }
      result = Tensor(shape: newShape) { out in
        source.scalars.withUnsafeBufferPointer { x in
          for p in 0..<outer {
            for j in 0..<n {
              (out.baseAddress! + (p * n + j) * inner).update(
                from: x.baseAddress! + p * inner, count: inner)
            }
          }
        }
      }
    }
    return result
  }

  /// Sum over `axes` (negative axes count from the end); reduced axes are dropped unless
  /// `keepingDimensions`.
  ///
  /// ```swift
  /// Tensor<Float>(ones: [2, 3, 4]).sum(alongAxes: [0, 2]).scalars  // [8, 8, 8]
  /// ```
  @inlinable
  public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let normalized = Set(axes.map { normalizedAxis($0, "sum") })
    var result = self
    for axis in normalized.sorted(by: >) { result = result.sumKeeping(axis: axis) }
    if keepingDimensions { return result }
    let kept = shape.indices.filter { !normalized.contains($0) }.map { shape[$0] }
    return result.reshaped(kept)
  }

  /// Sum of all elements, as a rank-0 tensor.
  @inlinable
  public func sum() -> Tensor {
    let n = count
    if n == 0 { return Tensor(0) }
    return Tensor(scalars.withUnsafeBufferPointer { Scalar.vectorSum($0.baseAddress!, count: n) })
  }

  /// Mean over `axes` (negative axes count from the end).
  @inlinable
  public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let n = Set(axes.map { normalizedAxis($0, "mean") }).map { shape[$0] }.reduce(1, *)
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Scalar(n))
  }

  /// Mean of all elements, as a rank-0 tensor.
  @inlinable
  public func mean() -> Tensor { sum() * (1 / Scalar(count)) }

  /// Softmax over the last axis, numerically stable (the row maximum is subtracted first).
  ///
  /// ```swift
  /// Tensor<Float>(shape: [1, 2], scalars: [0, 0]).softmax().scalars  // [0.5, 0.5]
  /// ```
  @inlinable
  public func softmax() -> Tensor { softmaxLastAxis(log: false) }

  /// Log-softmax over the last axis: `x − max − log Σ exp(x − max)`, stable for large inputs.
  @inlinable
  public func logSoftmax() -> Tensor { softmaxLastAxis(log: true) }

  @inlinable
  func softmaxLastAxis(log: Bool) -> Tensor {
    precondition(rank >= 1, "softmax needs rank ≥ 1, shape is \(shape)")
    let d = shape[rank - 1]
    let rows = d == 0 ? 0 : count / d
    // One scratch row for the log path's exponentials, allocated once per call.
    var scratch = [Scalar](repeating: 0, count: log ? d : 0)
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer { x in
        for r in 0..<rows {
          let base = r * d
          let input = x.baseAddress! + base
          let row = out.baseAddress! + base
          var m = Scalar.vectorMax(input, count: d)
          if !m.isFinite { m = 0 }  // all −inf (or ±inf): let the arithmetic produce NaN/0
          for j in 0..<d { row[j] = input[j] - m }
          if log {
            let total = scratch.withUnsafeMutableBufferPointer { e in
              Scalar.vectorExp(row, e.baseAddress!, count: d)
              return Scalar.vectorSum(e.baseAddress!, count: d)
            }
            let logTotal = Scalar(_elementaryLog(Double(total)))
            for j in 0..<d { row[j] -= logTotal }
          } else {
            Scalar.vectorExp(row, row, count: d)
            let total = Scalar.vectorSum(row, count: d)
            let inverse = 1 / total
            for j in 0..<d { row[j] *= inverse }
          }
        }
      }
    }
  }

  /// One fused pass per row of the last axis. Softmax: `dx = y · (g − Σ g·y)`; log-softmax:
  /// `dx = g − exp(y) · Σ g` (with `y` the forward output).
  @inlinable
  static func softmaxBackward(_ g: Tensor, _ y: Tensor, log: Bool) -> Tensor {
    let d = y.shape[y.rank - 1]
    let rows = d == 0 ? 0 : y.count / d
    if rows == 0 { return g }
    return Tensor(shape: y.shape) { out in
      g.withUnsafeBufferPointer { pg in
        y.withUnsafeBufferPointer { py in
          for r in 0..<rows {
            let (gr, yr, o) = (
              pg.baseAddress! + r * d, py.baseAddress! + r * d, out.baseAddress! + r * d
            )
            var total: Scalar = 0
            if log {
              for j in 0..<d { total += gr[j] }
              Scalar.vectorExp(yr, o, count: d)
              for j in 0..<d { o[j] = gr[j] - o[j] * total }
            } else {
              for j in 0..<d { total += gr[j] * yr[j] }
              for j in 0..<d { o[j] = yr[j] * (gr[j] - total) }
            }
          }
        }
      }
    }
  }
}

extension Variable {
  /// Differentiable sum over `axes`: the gradient is the output gradient repeated along them.
  @inlinable
  public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Variable {
    let y = value.sum(alongAxes: axes, keepingDimensions: keepingDimensions)
    guard let tape else { return Variable(y) }
    let inputShape = value.shape
    var keptShape = inputShape
    for axis in axes { keptShape[value.normalizedAxis(axis, "sum")] = 1 }
    return tape.record("sum", inputs: [self], outputs: [y]) { g in
      [g[0].reshaped(keptShape).expanded(to: inputShape)]
    }[0]
  }

  /// Differentiable sum of all elements (rank 0).
  @inlinable
  public func sum() -> Variable {
    let y = value.sum()
    guard let tape else { return Variable(y) }
    let inputShape = value.shape
    return tape.record("sum", inputs: [self], outputs: [y]) { g in
      [Tensor(repeating: g[0].scalar, shape: inputShape)]
    }[0]
  }

  /// Differentiable mean over `axes`.
  @inlinable
  public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Variable {
    let n = Set(axes.map { value.normalizedAxis($0, "mean") }).map { value.shape[$0] }
      .reduce(1, *)
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Scalar(n))
  }

  /// Differentiable mean of all elements (rank 0).
  @inlinable
  public func mean() -> Variable { sum() * (1 / Scalar(value.count)) }

  /// Differentiable softmax over the last axis: `dx = y · (g − Σ g·y)`.
  @inlinable
  public func softmax() -> Variable {
    let y = value.softmax()
    guard let tape else { return Variable(y) }
    return tape.record("softmax", inputs: [self], outputs: [y]) { g in
      [Tensor.softmaxBackward(g[0], y, log: false)]
    }[0]
  }

  /// Differentiable log-softmax over the last axis: `dx = g − softmax(x) · Σ g`.
  @inlinable
  public func logSoftmax() -> Variable {
    let y = value.logSoftmax()
    guard let tape else { return Variable(y) }
    return tape.record("logSoftmax", inputs: [self], outputs: [y]) { g in
      [Tensor.softmaxBackward(g[0], y, log: true)]
    }[0]
  }
}
