// Element-wise arithmetic and activations, forward on Tensor and differentiable on Variable;
// each Variable op's backward sits right after its forward.

/// The binary arithmetic kernels; a switch outside the loops keeps each loop a plain vectorizable
/// pass (a closure per element is not reliably inlined across modules).
@usableFromInline
enum BinaryKind: Sendable {
  case add, subtract, multiply, divide
}

extension Tensor {
  @inlinable
  static func applyBinary(
    _ kind: BinaryKind, _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>,
    _ out: UnsafeMutablePointer<Scalar>, _ n: Int
  ) {
    switch kind {
    case .add: Scalar.vectorAdd(a, b, out, count: n)  // the kernels' SIMD loop for Float
    case .subtract: for i in 0..<n { out[i] = a[i] - b[i] }
    case .multiply: Scalar.vectorMultiply(a, b, out, count: n)
    case .divide: for i in 0..<n { out[i] = a[i] / b[i] }
    }
  }

  /// `self[i] ∘ other[i]` for equal shapes, or `self[..., j] ∘ other[j]` when `other` is a
  /// vector `[D]` broadcast over this tensor's last axis `[..., D]` (a bias, a per-feature
  /// scale). Any other pair of shapes is a programmer error.
  @inlinable
  func binary(_ other: Tensor, _ kind: BinaryKind, _ name: String) -> Tensor {
    let n = count
    let broadcast = shape != other.shape
    if broadcast {
      precondition(
        other.rank == 1 && rank >= 1 && shape[rank - 1] == other.shape[0],
        "\(name): shapes \(shape) and \(other.shape) do not fit (need equal shapes, or a vector "
          + "[D] against [..., D])")
    }
    if n == 0 { return self }
    let d = broadcast ? other.count : n
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer { a in
        other.scalars.withUnsafeBufferPointer { b in
          let (pa, pb, po) = (a.baseAddress!, b.baseAddress!, out.baseAddress!)
          for r in 0..<(n / d) { Self.applyBinary(kind, pa + r * d, pb, po + r * d, d) }
        }
      }
    }
  }

  /// `f(self[i], other[i])` for equal shapes; for backward
  /// passes where a fused closure saves a temporary.
  @inlinable
  func zipWith(
    _ other: Tensor, _ name: String, _ f: (Scalar, Scalar) -> Scalar
  ) -> Tensor {
    precondition(shape == other.shape, "\(name): shapes \(shape) and \(other.shape) differ")
    let n = count
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer { a in
        other.scalars.withUnsafeBufferPointer { b in
          for i in 0..<n { out[i] = f(a[i], b[i]) }
        }
      }
    }
  }

  /// `f(self[i])` for every element.
  @inlinable
  public func map(_ f: (Scalar) -> Scalar) -> Tensor {
    let n = count
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer { a in for i in 0..<n { out[i] = f(a[i]) } }
    }
  }

  /// Sums a `[..., D]` tensor over every axis but the last, giving `[D]`: the gradient of a
  /// vector broadcast over the last axis.
  @inlinable
  public func sumToLastAxis() -> Tensor {
    precondition(rank >= 1, "sumToLastAxis needs rank ≥ 1, shape is \(shape)")
    let d = shape[rank - 1]
    let rows = d == 0 ? 0 : count / d
    var out = [Scalar](repeating: 0, count: d)
    if rows == 0 || d == 0 { return Tensor(shape: [d], scalars: out) }
    scalars.withUnsafeBufferPointer { a in
      out.withUnsafeMutableBufferPointer { o in
        for r in 0..<rows { Scalar.axpy(1, a.baseAddress! + r * d, o.baseAddress!, count: d) }
      }
    }
    return Tensor(shape: [d], scalars: out)
  }

  /// Element-wise sum; `rhs` may be `[D]` broadcast over the last axis of `lhs` `[..., D]`.
  @inlinable
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    lhs.binary(rhs, .add, "add")
  }
  /// Element-wise difference; `rhs` may be `[D]` broadcast over the last axis.
  @inlinable
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
    lhs.binary(rhs, .subtract, "subtract")
  }
  /// Element-wise product; `rhs` may be `[D]` broadcast over the last axis.
  @inlinable
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    lhs.binary(rhs, .multiply, "multiply")
  }
  /// Element-wise quotient; `rhs` may be `[D]` broadcast over the last axis.
  @inlinable
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
    lhs.binary(rhs, .divide, "divide")
  }
  /// Every element times `rhs`.
  @inlinable
  public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 * rhs } }
  /// Every element plus `rhs`.
  @inlinable
  public static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 + rhs } }
  /// Every element negated.
  @inlinable
  public static prefix func - (x: Tensor) -> Tensor { x.map { -$0 } }

  /// `e^x` element-wise (through `Scalar.vectorExp`, the SIMD kernel for `Float`).
  @inlinable
  public func exp() -> Tensor {
    let n = count
    if n == 0 { return self }
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer {
        Scalar.vectorExp($0.baseAddress!, out.baseAddress!, count: n)
      }
    }
  }

  /// Natural logarithm element-wise (NaN for negative inputs, `-inf` at zero).
  @inlinable
  public func log() -> Tensor {
    map { Scalar(_elementaryLog(Double($0))) }
  }

  /// `1 / (1 + e^-x)` element-wise.
  @inlinable
  public func sigmoid() -> Tensor {
    let n = count
    if n == 0 { return self }
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer {
        Scalar.vectorSigmoid($0.baseAddress!, out.baseAddress!, count: n)
      }
    }
  }

  /// Hyperbolic tangent element-wise.
  @inlinable
  public func tanh() -> Tensor {
    let n = count
    if n == 0 { return self }
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer {
        Scalar.vectorTanh($0.baseAddress!, out.baseAddress!, count: n)
      }
    }
  }

  /// `max(x, 0)` element-wise; NaN stays NaN (as PyTorch), so divergence is not hidden.
  @inlinable
  public func relu() -> Tensor {
    let n = count
    if n == 0 { return self }
    return Tensor(shape: shape) { out in
      scalars.withUnsafeBufferPointer {
        Scalar.vectorRelu($0.baseAddress!, out.baseAddress!, count: n)
      }
    }
  }
}

extension Variable {
  /// Differentiable ``Tensor/+(_:_:)-(Tensor,Tensor)`` (same shapes, or `[D]` over `[..., D]`).
  @inlinable
  public static func + (lhs: Variable, rhs: Variable) -> Variable {
    let y = lhs.value + rhs.value
    guard let tape = Tape.common(lhs, rhs) else { return Variable(y) }
    let broadcast = lhs.shape != rhs.shape
    return tape.record("add", inputs: [lhs, rhs], outputs: [y]) { g in
      [g[0], broadcast ? g[0].sumToLastAxis() : g[0]]
    }[0]
  }

  /// Differentiable difference (same shapes, or `[D]` over `[..., D]`).
  @inlinable
  public static func - (lhs: Variable, rhs: Variable) -> Variable {
    let y = lhs.value - rhs.value
    guard let tape = Tape.common(lhs, rhs) else { return Variable(y) }
    let broadcast = lhs.shape != rhs.shape
    return tape.record("subtract", inputs: [lhs, rhs], outputs: [y]) { g in
      [g[0], broadcast ? -g[0].sumToLastAxis() : -g[0]]
    }[0]
  }

  /// Differentiable product (same shapes, or `[D]` over `[..., D]`).
  @inlinable
  public static func * (lhs: Variable, rhs: Variable) -> Variable {
    let (a, b) = (lhs.value, rhs.value)
    let y = a * b
    guard let tape = Tape.common(lhs, rhs) else { return Variable(y) }
    let broadcast = a.shape != b.shape
    return tape.record("multiply", inputs: [lhs, rhs], outputs: [y]) { g in
      let gb = g[0] * a
      return [g[0] * b, broadcast ? gb.sumToLastAxis() : gb]
    }[0]
  }

  /// Differentiable scaling by a constant.
  @inlinable
  public static func * (lhs: Variable, rhs: Scalar) -> Variable {
    let y = lhs.value * rhs
    guard let tape = lhs.tape else { return Variable(y) }
    return tape.record("scale", inputs: [lhs], outputs: [y]) { g in [g[0] * rhs] }[0]
  }

  /// Differentiable shift by a constant.
  @inlinable
  public static func + (lhs: Variable, rhs: Scalar) -> Variable {
    let y = lhs.value + rhs
    guard let tape = lhs.tape else { return Variable(y) }
    return tape.record("shift", inputs: [lhs], outputs: [y]) { g in [g[0]] }[0]
  }

  /// Differentiable negation.
  @inlinable
  public static prefix func - (x: Variable) -> Variable { x * -1 }

  /// Differentiable `e^x`: the gradient is `g · e^x`.
  @inlinable
  public func exp() -> Variable {
    let y = value.exp()
    guard let tape else { return Variable(y) }
    return tape.record("exp", inputs: [self], outputs: [y]) { g in [g[0] * y] }[0]
  }

  /// Differentiable natural logarithm: the gradient is `g / x`.
  @inlinable
  public func log() -> Variable {
    let x = value
    let y = x.log()
    guard let tape else { return Variable(y) }
    return tape.record("log", inputs: [self], outputs: [y]) { g in
      [g[0].zipWith(x, "log backward") { $0 / $1 }]
    }[0]
  }

  /// Differentiable sigmoid: the gradient is `g · y · (1 − y)`.
  @inlinable
  public func sigmoid() -> Variable {
    let y = value.sigmoid()
    guard let tape else { return Variable(y) }
    return tape.record("sigmoid", inputs: [self], outputs: [y]) { g in
      [g[0].zipWith(y, "sigmoid backward") { $0 * $1 * (1 - $1) }]
    }[0]
  }

  /// Differentiable tanh: the gradient is `g · (1 − y²)`.
  @inlinable
  public func tanh() -> Variable {
    let y = value.tanh()
    guard let tape else { return Variable(y) }
    return tape.record("tanh", inputs: [self], outputs: [y]) { g in
      [g[0].zipWith(y, "tanh backward") { $0 * (1 - $1 * $1) }]
    }[0]
  }

  /// Differentiable ReLU: the gradient passes where `x > 0` (and is 0 at 0, as in PyTorch).
  @inlinable
  public func relu() -> Variable {
    let x = value
    let y = x.relu()
    guard let tape else { return Variable(y) }
    return tape.record("relu", inputs: [self], outputs: [y]) { g in
      [g[0].zipWith(x, "relu backward") { $1 > 0 ? $0 : 0 }]
    }[0]
  }
}
