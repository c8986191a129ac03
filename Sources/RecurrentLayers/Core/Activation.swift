import RecurrentTensor

/// Pointwise (or, for softmax, last-axis) activations with their backward written beside them.
/// The backward uses the forward's *output* `y`, which is all each of these needs.
///
/// ```swift
/// var y: [Float] = [-1, 0, 2]
/// Activation.relu.forward(&y, rowLength: 3)   // [0, 0, 2]
/// ```
public enum Activation: String, Sendable, Codable, CaseIterable {
  case linear, relu, sigmoid, tanh, softmax

  /// Applies the activation in place; `rowLength` is the size of the last axis (for softmax).
  public func forward<S: TensorScalar>(_ y: inout [S], rowLength: Int) {
    let n = y.count
    y.withUnsafeMutableBufferPointer { p in
      guard let base = p.baseAddress else { return }
      switch self {
      case .linear: return
      case .relu: for i in 0..<n where base[i] < 0 { base[i] = 0 }
      case .sigmoid: S.vectorSigmoid(base, base, count: n)
      case .tanh: S.vectorTanh(base, base, count: n)
      case .softmax:
        for start in stride(from: 0, to: n, by: max(rowLength, 1)) {
          var m = base[start]
          for i in start..<(start + rowLength) { m = max(m, base[i]) }
          for i in start..<(start + rowLength) { base[i] -= m }
          S.vectorExp(base + start, base + start, count: rowLength)
          var sum: S = 0
          for i in start..<(start + rowLength) { sum += base[i] }
          for i in start..<(start + rowLength) { base[i] /= sum }
        }
      }
    }
  }

  /// Turns `dy` (gradient w.r.t. the output `y`) into the gradient w.r.t. the pre-activation.
  public func backward<S: TensorScalar>(_ dy: inout [S], output y: [S], rowLength: Int) {
    let n = dy.count
    switch self {
    case .linear: return
    case .relu: for i in 0..<n where y[i] <= 0 { dy[i] = 0 }
    case .sigmoid: for i in 0..<n { dy[i] *= y[i] * (1 - y[i]) }
    case .tanh: for i in 0..<n { dy[i] *= 1 - y[i] * y[i] }
    case .softmax:
      // dz_k = y_k (dy_k − Σ_j dy_j y_j) per row.
      for start in stride(from: 0, to: n, by: max(rowLength, 1)) {
        var dot: S = 0
        for i in start..<(start + rowLength) { dot += dy[i] * y[i] }
        for i in start..<(start + rowLength) { dy[i] = y[i] * (dy[i] - dot) }
      }
    }
  }
}
