import CRecurrentKernels
import Foundation
import RecurrentTensor

/// The update rule of an ``Optimizer`` and its hyper-parameters (Keras 3's formulas).
public enum OptimizerAlgorithm: Sendable, Codable, Equatable {
  /// Keras SGD: `v ← μ·v − lr·g`, `w ← w + v` (Nesterov: `w ← w + μ·v − lr·g`); plain
  /// `w ← w − lr·g` when `momentum == 0`. PyTorch keeps `b ← μ·b + g`, `w ← w − lr·b`: the two
  /// agree for a constant rate and differ when the rate changes between steps.
  case sgd(momentum: Double, nesterov: Bool)
  /// Keras Adam: `m ← m + (g − m)(1 − β₁)`, `v ← v + (g² − v)(1 − β₂)`,
  /// `w ← w − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε)` (ε is not bias-corrected, unlike PyTorch).
  case adam(beta1: Double, beta2: Double, epsilon: Double, amsgrad: Bool)
  /// Keras RMSprop: `v ← ρv + (1 − ρ)g²`, `Δ = lr·g / √(v − ḡ² + ε)` (ḡ only when centered),
  /// with optional momentum on `Δ`.
  case rmsprop(rho: Double, momentum: Double, epsilon: Double, centered: Bool)
  /// Keras Adagrad: `a ← a + g²` (from `initialAccumulator`), `w ← w − lr·g / √(a + ε)`.
  case adagrad(initialAccumulator: Double, epsilon: Double)

  /// Per-parameter state tensors the rule keeps.
  var slotCount: Int {
    switch self {
    case .sgd(let momentum, _): return momentum != 0 ? 1 : 0
    case .adam(_, _, _, let amsgrad): return amsgrad ? 3 : 2
    case let .rmsprop(_, momentum, _, centered):
      return 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0)
    case .adagrad: return 1
    }
  }
}

/// A first-order optimizer: updates parameter tensors in place from gradient tensors, keeping
/// per-parameter state (momentum, moments, accumulators) created on the first update.
///
/// Order within one ``update(_:gradients:)`` is Keras's: clip the gradients (`clipNorm` per
/// tensor, else `globalClipNorm` over all, else `clipValue`), apply decoupled weight decay
/// `w ← w − w·wd·lr`, apply the rule, then advance ``iterations``. The rate comes from
/// ``learningRate`` evaluated at ``iterations``.
///
/// ```swift
/// var opt = Optimizer<Float>.adam()           // lr 1e-3, β 0.9 / 0.999, ε 1e-7
/// var params = [Tensor<Float>(shape: [2], scalars: [1, 2])]
/// opt.update(&params, gradients: [Tensor(shape: [2], scalars: [0.5, -0.5])])
/// ```
public struct Optimizer<Scalar: TensorScalar>: Sendable {
  public var algorithm: OptimizerAlgorithm
  public var learningRate: LearningRateSchedule
  /// Decoupled weight decay (AdamW's), applied to every parameter; `nil` for none.
  public var weightDecay: Double?
  /// Clip each gradient tensor to this L2 norm.
  public var clipNorm: Double?
  /// Clip each gradient element to `[-clipValue, clipValue]`.
  public var clipValue: Double?
  /// Scale all gradients together so their joint L2 norm is at most this.
  public var globalClipNorm: Double?
  /// Per-parameter factors on the learning rate, in the order of the parameters given to
  /// ``update(_:gradients:)`` (PyTorch's parameter groups with their own `lr`); parameters past
  /// its end use 1. Empty by default: one rate for all.
  public var learningRateMultipliers: [Double] = []
  /// The number of updates applied so far (Keras's `optimizer.iterations`).
  public private(set) var iterations = 0
  /// Per-parameter state, `slots[parameter][slot]`, created on the first update.
  public private(set) var slots: [[Tensor<Scalar>]] = []

  public init(
    _ algorithm: OptimizerAlgorithm, learningRate: LearningRateSchedule,
    weightDecay: Double? = nil, clipNorm: Double? = nil, clipValue: Double? = nil,
    globalClipNorm: Double? = nil
  ) {
    precondition(
      [clipNorm, clipValue, globalClipNorm].compactMap { $0 }.count <= 1,
      "set at most one of clipNorm, clipValue and globalClipNorm (as Keras)")
    self.algorithm = algorithm
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.clipNorm = clipNorm
    self.clipValue = clipValue
    self.globalClipNorm = globalClipNorm
  }

  /// The rate the next update will use.
  public var currentLearningRate: Double { learningRate(step: iterations) }

  /// Forget all state (momentum, moments, the step count), as a freshly built optimizer.
  public mutating func reset() {
    iterations = 0
    slots = []
  }

  /// Applies one step: `parameters[i]` is updated from `gradients[i]`.
  /// - Precondition: the same number of parameters in the same shapes on every call.
  @_specialize(where Scalar == Float)
  public mutating func update(_ parameters: inout [Tensor<Scalar>], gradients: [Tensor<Scalar>]) {
    precondition(
      parameters.count == gradients.count,
      "\(parameters.count) parameters but \(gradients.count) gradients")
    if slots.isEmpty { buildSlots(for: parameters) }
    precondition(slots.count == parameters.count, "the parameter list changed between updates")
    let grads = clipped(gradients)
    let lr = currentLearningRate
    // Move the state out of `self` for the loop: the rule methods below get a copy of `self`,
    // which would otherwise hold a second reference to every slot buffer and make each in-place
    // update copy it first (copy-on-write).
    var slots = self.slots
    self.slots = []
    defer { self.slots = slots }
    for i in parameters.indices {
      precondition(
        parameters[i].shape == grads[i].shape,
        "parameter \(i) has shape \(parameters[i].shape), its gradient \(grads[i].shape)")
      let lr = i < learningRateMultipliers.count ? lr * learningRateMultipliers[i] : lr
      if fusedAdam(&parameters[i], gradient: grads[i], slots: &slots[i], lr: lr) { continue }
      if let weightDecay {
        let factor = Scalar(weightDecay) * Scalar(lr)
        parameters[i].scalars.withUnsafeMutableBufferPointer { w in
          for j in w.indices { w[j] = w[j] - w[j] * factor }
        }
      }
      apply(&parameters[i], gradient: grads[i], slots: &slots[i], lr: lr)
    }
    iterations += 1
  }

  private mutating func buildSlots(for parameters: [Tensor<Scalar>]) {
    slots = parameters.map { p in
      (0..<algorithm.slotCount).map { _ in
        if case .adagrad(let initial, _) = algorithm {
          return Tensor(repeating: Scalar(initial), shape: p.shape)
        }
        return Tensor(zeros: p.shape)
      }
    }
  }

  private func clipped(_ gradients: [Tensor<Scalar>]) -> [Tensor<Scalar>] {
    if let clipNorm, clipNorm > 0 {
      return gradients.map { g in
        let norm = g.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let c = Scalar(clipNorm)
        let denominator = max(norm, c)
        return Tensor(shape: g.shape, scalars: g.scalars.map { $0 * c / denominator })
      }
    }
    if let globalClipNorm, globalClipNorm > 0 {
      let norm = gradients.reduce(Scalar(0)) { acc, g in
        acc + g.scalars.reduce(0) { $0 + $1 * $1 }
      }.squareRoot()
      let c = Scalar(globalClipNorm)
      let scale = c * min(1 / norm, 1 / c)
      return gradients.map { Tensor(shape: $0.shape, scalars: $0.scalars.map { $0 * scale }) }
    }
    if let clipValue, clipValue > 0 {
      let v = Scalar(clipValue)
      return gradients.map {
        Tensor(shape: $0.shape, scalars: $0.scalars.map { min(max($0, -v), v) })
      }
    }
    return gradients
  }

  /// Adam / AdamW for Float in one fused, SIMD, multi-threaded pass (`rk_adam_f32`): the same
  /// operations as ``step(_:_:_:_:_:lr:)`` in the same order (weight decay first), so the same
  /// bits. The new weights are written to a fresh buffer rather than in place: the caller
  /// usually still holds the layer's copy of each tensor, and updating in place would first copy
  /// the whole tensor (copy-on-write) — for an embedding table, millions of entries per step.
  /// Returns `false` for other rules and scalars.
  private func fusedAdam(
    _ parameter: inout Tensor<Scalar>, gradient: Tensor<Scalar>, slots: inout [Tensor<Scalar>],
    lr lrDouble: Double
  ) -> Bool {
    guard Scalar.self == Float.self, case let .adam(beta1, beta2, epsilon, amsgrad) = algorithm
    else { return false }
    let lr = Float(lrDouble)
    let t = Float(iterations + 1)
    // As step(): the bias corrections in Float from Double powers of the Float betas.
    let power1 = Float(Foundation.pow(Double(Float(beta1)), Double(t)))
    let power2 = Float(Foundation.pow(Double(Float(beta2)), Double(t)))
    let alpha = lr * (1 - power2).squareRoot() / (1 - power1)
    let decay = weightDecay.map { Float($0) * lr } ?? 0
    let config = KernelConfiguration.current
    let n = gradient.count
    var m = slots[0].scalars
    var v = slots[1].scalars
    var vmax = amsgrad ? slots[2].scalars : []
    for k in slots.indices { slots[k].scalars = [] }
    func floats(_ p: UnsafeMutableBufferPointer<Scalar>) -> UnsafeMutablePointer<Float>? {
      p.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) }
    }
    func floats(_ p: UnsafeBufferPointer<Scalar>) -> UnsafePointer<Float>? {
      p.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) }
    }
    let updated = [Scalar](unsafeUninitializedCapacity: n) { out, initialized in
      parameter.scalars.withUnsafeBufferPointer { w in
        gradient.scalars.withUnsafeBufferPointer { g in
          m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
              vmax.withUnsafeMutableBufferPointer { vmax in
                rk_adam_f32(
                  config.effectiveSIMDLevel.rawValue, Int32(clamping: config.threads), n,
                  floats(w), floats(g), floats(out), floats(m), floats(v),
                  amsgrad ? floats(vmax) : nil, alpha, Float(1 - beta1), Float(1 - beta2),
                  Float(epsilon), decay)
              }
            }
          }
        }
      }
      initialized = n
    }
    parameter.scalars = updated
    slots[0].scalars = m
    slots[1].scalars = v
    if amsgrad { slots[2].scalars = vmax }
    return true
  }

  @_specialize(where Scalar == Float)
  private func apply(
    _ parameter: inout Tensor<Scalar>, gradient: Tensor<Scalar>, slots: inout [Tensor<Scalar>],
    lr lrDouble: Double
  ) {
    // Move the buffers out so each is uniquely referenced (no copy-on-write inside the loop),
    // run the update on raw pointers, then move them back.
    var w = parameter.scalars
    parameter.scalars = []
    var s = slots.map { $0.scalars }
    for k in slots.indices { slots[k].scalars = [] }
    while s.count < 3 { s.append([]) }
    var (s0, s1, s2) = (s[0], s[1], s[2])
    s = []
    gradient.scalars.withUnsafeBufferPointer { g in
      w.withUnsafeMutableBufferPointer { w in
        s0.withUnsafeMutableBufferPointer { s0 in
          s1.withUnsafeMutableBufferPointer { s1 in
            s2.withUnsafeMutableBufferPointer { s2 in
              step(w, g, s0, s1, s2, lr: Scalar(lrDouble))
            }
          }
        }
      }
    }
    parameter.scalars = w
    let moved = [s0, s1, s2]
    for k in slots.indices { slots[k].scalars = moved[k] }
  }

  /// The update rule on raw buffers: `w` parameters, `g` gradient, `s0…s2` the slots in
  /// ``OptimizerAlgorithm`` order (unused ones empty).
  @_specialize(where Scalar == Float)
  private func step(
    _ w: UnsafeMutableBufferPointer<Scalar>, _ g: UnsafeBufferPointer<Scalar>,
    _ s0: UnsafeMutableBufferPointer<Scalar>, _ s1: UnsafeMutableBufferPointer<Scalar>,
    _ s2: UnsafeMutableBufferPointer<Scalar>, lr: Scalar
  ) {
    let n = g.count
    switch algorithm {
    case let .sgd(momentumD, nesterov):
      if momentumD == 0 {
        for j in 0..<n { w[j] -= g[j] * lr }
        return
      }
      let mu = Scalar(momentumD)
      for j in 0..<n {
        let m = s0[j] * mu - g[j] * lr
        s0[j] = m
        w[j] += nesterov ? m * mu - g[j] * lr : m
      }
    case let .adam(beta1, beta2, epsilon, amsgrad):
      let t = Scalar(iterations + 1)
      let b1 = Scalar(beta1)
      let b2 = Scalar(beta2)
      let power1 = Scalar(Foundation.pow(Double(b1), Double(t)))
      let power2 = Scalar(Foundation.pow(Double(b2), Double(t)))
      let alpha = lr * (1 - power2).squareRoot() / (1 - power1)
      let oneMinusB1 = Scalar(1 - beta1)
      let oneMinusB2 = Scalar(1 - beta2)
      let eps = Scalar(epsilon)
      for j in 0..<n {
        let m = s0[j] + (g[j] - s0[j]) * oneMinusB1
        var v = s1[j] + (g[j] * g[j] - s1[j]) * oneMinusB2
        s0[j] = m
        s1[j] = v
        if amsgrad {
          v = max(s2[j], v)
          s2[j] = v
        }
        w[j] -= m * alpha / (v.squareRoot() + eps)
      }
    case let .rmsprop(rhoD, momentumD, epsilon, centered):
      let rho = Scalar(rhoD)
      let oneMinusRho = Scalar(1 - rhoD)
      let eps = Scalar(epsilon)
      let mu = Scalar(momentumD)
      // Slots: velocity, then momentum (if any), then the average gradient (if centered).
      let average = momentumD > 0 ? s2 : s1
      for j in 0..<n {
        let v = rho * s0[j] + oneMinusRho * g[j] * g[j]
        s0[j] = v
        var denominator = v + eps
        if centered {
          let a = rho * average[j] + oneMinusRho * g[j]
          average[j] = a
          denominator = v - a * a + eps
        }
        let increment = lr * g[j] / denominator.squareRoot()
        if momentumD > 0 {
          let m = mu * s1[j] + increment
          s1[j] = m
          w[j] -= m
        } else {
          w[j] -= increment
        }
      }
    case let .adagrad(_, epsilon):
      let eps = Scalar(epsilon)
      for j in 0..<n {
        let a = s0[j] + g[j] * g[j]
        s0[j] = a
        w[j] -= lr * g[j] / (a + eps).squareRoot()
      }
    }
  }
}

extension Optimizer {
  /// Keras `SGD` (defaults: lr 0.01, no momentum). See ``OptimizerAlgorithm/sgd(momentum:nesterov:)``.
  public static func sgd(
    learningRate: LearningRateSchedule = 0.01, momentum: Double = 0, nesterov: Bool = false,
    clipNorm: Double? = nil, clipValue: Double? = nil, globalClipNorm: Double? = nil
  ) -> Self {
    Self(
      .sgd(momentum: momentum, nesterov: nesterov), learningRate: learningRate,
      clipNorm: clipNorm, clipValue: clipValue, globalClipNorm: globalClipNorm)
  }

  /// Keras `Adam` (defaults: lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-7).
  public static func adam(
    learningRate: LearningRateSchedule = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-7, amsgrad: Bool = false, clipNorm: Double? = nil,
    clipValue: Double? = nil, globalClipNorm: Double? = nil
  ) -> Self {
    Self(
      .adam(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad),
      learningRate: learningRate, clipNorm: clipNorm, clipValue: clipValue,
      globalClipNorm: globalClipNorm)
  }

  /// Keras `AdamW`: Adam with decoupled weight decay (defaults: lr 1e-3, weight decay 0.004).
  public static func adamW(
    learningRate: LearningRateSchedule = 1e-3, weightDecay: Double = 0.004, beta1: Double = 0.9,
    beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false,
    clipNorm: Double? = nil, clipValue: Double? = nil, globalClipNorm: Double? = nil
  ) -> Self {
    Self(
      .adam(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad),
      learningRate: learningRate, weightDecay: weightDecay, clipNorm: clipNorm,
      clipValue: clipValue, globalClipNorm: globalClipNorm)
  }

  /// Keras `RMSprop` (defaults: lr 1e-3, ρ 0.9, no momentum, ε 1e-7, not centered).
  public static func rmsprop(
    learningRate: LearningRateSchedule = 1e-3, rho: Double = 0.9, momentum: Double = 0,
    epsilon: Double = 1e-7, centered: Bool = false, clipNorm: Double? = nil,
    clipValue: Double? = nil, globalClipNorm: Double? = nil
  ) -> Self {
    Self(
      .rmsprop(rho: rho, momentum: momentum, epsilon: epsilon, centered: centered),
      learningRate: learningRate, clipNorm: clipNorm, clipValue: clipValue,
      globalClipNorm: globalClipNorm)
  }

  /// Keras `Adagrad` (defaults: lr 1e-3, initial accumulator 0.1, ε 1e-7).
  public static func adagrad(
    learningRate: LearningRateSchedule = 1e-3, initialAccumulator: Double = 0.1,
    epsilon: Double = 1e-7, clipNorm: Double? = nil, clipValue: Double? = nil,
    globalClipNorm: Double? = nil
  ) -> Self {
    Self(
      .adagrad(initialAccumulator: initialAccumulator, epsilon: epsilon),
      learningRate: learningRate, clipNorm: clipNorm, clipValue: clipValue,
      globalClipNorm: globalClipNorm)
  }
}
