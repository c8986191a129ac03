import RecurrentTensor

/// A fully connected layer on the last axis: `y = activation(x · kernel + bias)`.
///
/// Input `[..., D]` (`[B, D]` or `[B, T, D]`), output `[..., units]`. Kernel `[D, units]`
/// (Keras's layout; PyTorch's `weight` is its transpose), bias `[units]`. Defaults as Keras:
/// Glorot-uniform kernel, zero bias.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let dense = Dense<Float>(inputSize: 8, units: 1, activation: .sigmoid, generator: &rng)
/// let (y, cache) = dense.forward(Tensor(zeros: [4, 8]))          // y [4, 1]
/// let grads = dense.backward(Tensor(repeating: 1, shape: [4, 1]), cache: cache)
/// ```
public struct Dense<Scalar: TensorScalar>: Layer {
  public var units: Int
  public var activation: Activation
  public var useBias: Bool
  /// `[D, units]`; `[0, units]` until built.
  public var kernel: Tensor<Scalar>
  /// `[units]` (empty when `useBias` is false).
  public var bias: Tensor<Scalar>

  /// A layer whose kernel is created by ``build(inputShape:generator:)`` (Keras's
  /// `Dense(units)`).
  public init(units: Int, activation: Activation = .linear, useBias: Bool = true) {
    precondition(units > 0, "Dense units must be positive, received \(units)")
    self.units = units
    self.activation = activation
    self.useBias = useBias
    kernel = Tensor(zeros: [0, units])
    bias = Tensor(zeros: [useBias ? units : 0])
  }

  /// A built layer with a Glorot-uniform kernel and a zero bias.
  public init<G: RandomNumberGenerator>(
    inputSize: Int, units: Int, activation: Activation = .linear, useBias: Bool = true,
    generator: inout G
  ) {
    self.init(units: units, activation: activation, useBias: useBias)
    kernel = Initializer.glorotUniform(
      shape: [inputSize, units], fanIn: inputSize, fanOut: units, generator: &generator)
  }

  /// A layer with given weights (kernel `[D, units]`, bias `[units]` or `nil` for none).
  public init(kernel: Tensor<Scalar>, bias: Tensor<Scalar>?, activation: Activation = .linear) {
    precondition(kernel.rank == 2, "Dense kernel must be [D, units], received \(kernel.shape)")
    precondition(
      bias == nil || bias!.shape == [kernel.shape[1]],
      "Dense bias must be [\(kernel.shape[1])], received \(bias!.shape)")
    units = kernel.shape[1]
    self.activation = activation
    useBias = bias != nil
    self.kernel = kernel
    self.bias = bias ?? Tensor(zeros: [0])
  }

  public var kerasClassName: String { "Dense" }
  public var isBuilt: Bool { kernel.shape[0] > 0 }
  public var inputSize: Int { kernel.shape[0] }
  public var parameterNames: [String] { useBias ? ["kernel", "bias"] : ["kernel"] }
  public var parameters: [Tensor<Scalar>] {
    get { useBias ? [kernel, bias] : [kernel] }
    set {
      kernel = newValue[0]
      if useBias { bias = newValue[1] }
    }
  }
  public var config: [String: ConfigValue] {
    [
      "units": .int(units), "activation": .string(activation.rawValue),
      "use_bias": .bool(useBias),
    ]
  }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    guard let d = inputShape.last, d > 0 else {
      throw LayerError.shapeMismatch(layer: "Dense", expected: "[..., D]", received: inputShape)
    }
    if isBuilt {
      guard d == inputSize else {
        throw LayerError.shapeMismatch(
          layer: "Dense", expected: "[..., \(inputSize)]", received: inputShape)
      }
      return
    }
    kernel = Initializer.glorotUniform(
      shape: [d, units], fanIn: d, fanOut: units, generator: &generator)
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    Array(inputShape.dropLast()) + [units]
  }

  /// What the forward keeps for the backward: the input and the activated output.
  public struct Cache {
    public let input: Tensor<Scalar>
    public let output: Tensor<Scalar>
  }

  /// Forward: `[..., D]` → `[..., units]`.
  /// - Precondition: the layer is built and the last axis is `D` (``forward(_:mask:training:generator:)``
  ///   validates and throws instead).
  public func forward(_ x: Tensor<Scalar>) -> (output: Tensor<Scalar>, cache: Cache) {
    let d = inputSize
    precondition(x.shape.last == d, "Dense expects [..., \(d)], received \(x.shape)")
    let rows = x.count / d
    var y = [Scalar](repeating: 0, count: rows * units)
    if useBias {
      for r in 0..<rows { for u in 0..<units { y[r * units + u] = bias.scalars[u] } }
    }
    if rows > 0 {
      x.scalars.withUnsafeBufferPointer { xp in
        kernel.scalars.withUnsafeBufferPointer { kp in
          y.withUnsafeMutableBufferPointer { yp in
            Scalar.gemm(
              transposeA: false, transposeB: false, m: rows, n: units, k: d, alpha: 1,
              a: xp.baseAddress!, lda: d, b: kp.baseAddress!, ldb: units, beta: useBias ? 1 : 0,
              c: yp.baseAddress!, ldc: units)
          }
        }
      }
    }
    activation.forward(&y, rowLength: units)
    let output = Tensor(shape: Array(x.shape.dropLast()) + [units], scalars: y)
    return (output, Cache(input: x, output: output))
  }

  /// Backward: gradients for the input `[..., D]`, the kernel `[D, units]` and the bias `[units]`
  /// (empty when `useBias` is false).
  public func backward(_ dOutput: Tensor<Scalar>, cache: Cache) -> (
    input: Tensor<Scalar>, kernel: Tensor<Scalar>, bias: Tensor<Scalar>
  ) {
    let d = inputSize
    let rows = cache.input.count / d
    var dz = dOutput.scalars
    activation.backward(&dz, output: cache.output.scalars, rowLength: units)
    var dx = [Scalar](repeating: 0, count: rows * d)
    var dk = [Scalar](repeating: 0, count: d * units)
    var db = [Scalar](repeating: 0, count: useBias ? units : 0)
    if useBias {
      for r in 0..<rows { for u in 0..<units { db[u] += dz[r * units + u] } }
    }
    if rows > 0 {
      dz.withUnsafeBufferPointer { dzp in
        kernel.scalars.withUnsafeBufferPointer { kp in
          dx.withUnsafeMutableBufferPointer { dxp in
            // dx = dz · kernelᵀ  ([rows, units] × [units, D])
            Scalar.gemm(
              transposeA: false, transposeB: true, m: rows, n: d, k: units, alpha: 1,
              a: dzp.baseAddress!, lda: units, b: kp.baseAddress!, ldb: units, beta: 0,
              c: dxp.baseAddress!, ldc: d)
          }
        }
        cache.input.scalars.withUnsafeBufferPointer { xp in
          dk.withUnsafeMutableBufferPointer { dkp in
            // dkernel = xᵀ · dz  ([D, rows] × [rows, units])
            Scalar.gemm(
              transposeA: true, transposeB: false, m: d, n: units, k: rows, alpha: 1,
              a: xp.baseAddress!, lda: d, b: dzp.baseAddress!, ldb: units, beta: 0,
              c: dkp.baseAddress!, ldc: units)
          }
        }
      }
    }
    return (
      Tensor(shape: cache.input.shape, scalars: dx), Tensor(shape: [d, units], scalars: dk),
      Tensor(shape: [db.count], scalars: db)
    )
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    guard isBuilt, input.shape.last == inputSize else {
      throw LayerError.shapeMismatch(
        layer: "Dense", expected: "[..., \(isBuilt ? "\(inputSize)" : "D (build first)")]",
        received: input.shape)
    }
    let (output, cache) = forward(input)
    return LayerForward(output: output, mask: mask) { dy in
      let g = backward(dy, cache: cache)
      return LayerGradients(input: g.input, parameters: useBias ? [g.kernel, g.bias] : [g.kernel])
    }
  }
}
