import RecurrentTensor

/// Concatenation of several inputs along one axis (Keras's `Concatenate`, default last axis).
/// All other axes must agree: `[B, T, D₁]`, `[B, T, D₂]` → `[B, T, D₁ + D₂]`.
///
/// ```swift
/// let merged = try Concatenate().forward([a, b])   // a [2, 3], b [2, 4] → [2, 7]
/// let (da, db) = Concatenate().backward(dy, inputShapes: [a.shape, b.shape])
/// ```
public struct Concatenate: Sendable, Equatable {
  /// The axis; negative counts from the end (`-1` is the last).
  public var axis: Int

  public init(axis: Int = -1) { self.axis = axis }

  private func resolvedAxis(rank: Int) -> Int { axis < 0 ? rank + axis : axis }

  /// Forward. Throws when the inputs' other axes differ.
  public func forward<S: TensorScalar>(_ inputs: [Tensor<S>]) throws -> Tensor<S> {
    guard let first = inputs.first else {
      throw LayerError.invalidArgument(layer: "Concatenate", message: "needs at least one input")
    }
    let a = resolvedAxis(rank: first.rank)
    guard a >= 0, a < first.rank else {
      throw LayerError.invalidArgument(
        layer: "Concatenate", message: "axis \(axis) is out of range for rank \(first.rank)")
    }
    for x in inputs {
      var expected = first.shape
      guard x.rank == first.rank else {
        throw LayerError.shapeMismatch(
          layer: "Concatenate", expected: "\(expected)", received: x.shape)
      }
      expected[a] = x.shape[a]
      guard x.shape == expected else {
        throw LayerError.shapeMismatch(
          layer: "Concatenate", expected: "\(expected)", received: x.shape)
      }
    }
    let outer = first.shape[..<a].reduce(1, *)
    let inner = first.shape[(a + 1)...].reduce(1, *)
    var out = [S]()
    out.reserveCapacity(inputs.reduce(0) { $0 + $1.count })
    for o in 0..<outer {
      for x in inputs {
        let chunk = x.shape[a] * inner
        out.append(contentsOf: x.scalars[(o * chunk)..<((o + 1) * chunk)])
      }
    }
    var shape = first.shape
    shape[a] = inputs.reduce(0) { $0 + $1.shape[a] }
    return Tensor(shape: shape, scalars: out)
  }

  /// Backward: the output gradient split back into one gradient per input.
  public func backward<S: TensorScalar>(_ dOutput: Tensor<S>, inputShapes: [[Int]]) -> [Tensor<S>] {
    let a = resolvedAxis(rank: dOutput.rank)
    let outer = dOutput.shape[..<a].reduce(1, *)
    let inner = dOutput.shape[(a + 1)...].reduce(1, *)
    var grads = inputShapes.map { [S](repeating: 0, count: $0.reduce(1, *)) }
    var offset = 0
    for o in 0..<outer {
      for (k, shape) in inputShapes.enumerated() {
        let chunk = shape[a] * inner
        for j in 0..<chunk { grads[k][o * chunk + j] = dOutput.scalars[offset + j] }
        offset += chunk
      }
    }
    return zip(inputShapes, grads).map { Tensor(shape: $0, scalars: $1) }
  }
}

/// Elementwise sum of inputs of one shape (Keras's `Add`); the gradient reaches each input
/// unchanged.
///
/// ```swift
/// let y = try Add().forward([a, b])   // a + b
/// ```
public struct Add: Sendable, Equatable {
  public init() {}

  /// Forward. Throws when the shapes differ.
  public func forward<S: TensorScalar>(_ inputs: [Tensor<S>]) throws -> Tensor<S> {
    guard let first = inputs.first else {
      throw LayerError.invalidArgument(layer: "Add", message: "needs at least one input")
    }
    var sum = first.scalars
    for x in inputs.dropFirst() {
      guard x.shape == first.shape else {
        throw LayerError.shapeMismatch(layer: "Add", expected: "\(first.shape)", received: x.shape)
      }
      for i in sum.indices { sum[i] += x.scalars[i] }
    }
    return Tensor(shape: first.shape, scalars: sum)
  }

  /// Backward: `dOutput` for every input.
  public func backward<S: TensorScalar>(_ dOutput: Tensor<S>, inputCount: Int) -> [Tensor<S>] {
    Array(repeating: dOutput, count: inputCount)
  }
}
