import RecurrentLayers
import RecurrentTensor
import XCTest

/// The fused Float Adam kernel (`rk_adam_f32`, used by `Optimizer<Float>` for Adam and AdamW)
/// against the reference formula written out here, and against itself across thread counts and
/// SIMD levels. Sizes cross the kernel's 16384-element task chunks and end in a ragged tail.
final class FusedAdamTests: XCTestCase {
  /// Keras Adam, the formula of `OptimizerAlgorithm.adam`, one Float operation at a time.
  struct ReferenceAdam {
    var m: [Float]
    var v: [Float]
    var vmax: [Float]
    var t = 0
    let lr: Float
    let amsgrad: Bool
    let weightDecay: Float?

    init(count: Int, lr: Float, amsgrad: Bool, weightDecay: Float?) {
      m = [Float](repeating: 0, count: count)
      v = m
      vmax = m
      self.lr = lr
      self.amsgrad = amsgrad
      self.weightDecay = weightDecay
    }

    mutating func step(_ w: inout [Float], _ g: [Float]) {
      t += 1
      let (b1, b2): (Float, Float) = (0.9, 0.999)
      let power1 = Float(pow(Double(b1), Double(Float(t))))
      let power2 = Float(pow(Double(b2), Double(Float(t))))
      let alpha = lr * (1 - power2).squareRoot() / (1 - power1)
      let (oneMinusB1, oneMinusB2, eps) = (Float(1 - 0.9), Float(1 - 0.999), Float(1e-7))
      for j in w.indices {
        if let weightDecay { w[j] = w[j] - w[j] * (weightDecay * lr) }
        m[j] = m[j] + (g[j] - m[j]) * oneMinusB1
        v[j] = v[j] + (g[j] * g[j] - v[j]) * oneMinusB2
        var vHat = v[j]
        if amsgrad {
          vHat = max(vmax[j], vHat)
          vmax[j] = vHat
        }
        w[j] -= m[j] * alpha / (vHat.squareRoot() + eps)
      }
    }
  }

  func floats(_ n: Int, seed: UInt64, scale: Double = 1) -> [Float] {
    var rng = RandomGenerator(seed: seed)
    return (0..<n).map { _ in Float(Double.random(in: -scale...scale, using: &rng)) }
  }

  /// Gradients for `steps` updates of a two-tensor model (a large vector and a small bias), of
  /// very different sizes from step to step so AMSGrad's max switches sides.
  func gradients(count: Int, steps: Int) -> [[Tensor<Float>]] {
    (0..<steps).map { s in
      let scale = s % 2 == 0 ? 1.0 : 1e-3
      return [
        Tensor(shape: [count], scalars: floats(count, seed: 10 + UInt64(s), scale: scale)),
        Tensor(shape: [5], scalars: floats(5, seed: 100 + UInt64(s), scale: scale)),
      ]
    }
  }

  /// Runs the updates under `config`; returns the two parameter tensors' values.
  func run(
    _ make: () -> Optimizer<Float>, config: KernelConfiguration, start: [Float],
    gradients: [[Tensor<Float>]]
  ) -> [[Float]] {
    KernelConfiguration.$current.withValue(config) {
      var opt = make()
      var params = [
        Tensor(shape: [start.count], scalars: start),
        Tensor(shape: [5], scalars: floats(5, seed: 2)),
      ]
      for grads in gradients { opt.update(&params, gradients: grads) }
      return params.map(\.scalars)
    }
  }

  func testFusedAdamEqualsReferenceFormulaBitForBit() {
    let count = 2 * 16384 + 1001
    let cases: [(String, () -> Optimizer<Float>, Bool, Float?, Float)] = [
      ("adam", { .adam(learningRate: 0.01) }, false, nil, 0.01),
      ("amsgrad", { .adam(learningRate: 0.01, amsgrad: true) }, true, nil, 0.01),
      ("adamw", { .adamW(learningRate: 0.01, weightDecay: 0.1) }, false, 0.1, 0.01),
    ]
    let start = floats(count, seed: 1)
    let grads = gradients(count: count, steps: 4)
    for (name, make, amsgrad, decay, lr) in cases {
      var w = start
      var reference = ReferenceAdam(count: count, lr: lr, amsgrad: amsgrad, weightDecay: decay)
      for g in grads { reference.step(&w, g[0].scalars) }
      let got = run(
        make, config: KernelConfiguration(threads: 2), start: start, gradients: grads)
      XCTAssertEqual(got[0], w, "\(name): fused kernel differs from the reference formula")
    }
  }

  func testSameBitsForAnyThreadCountAndSIMDLevel() {
    let count = 3 * 16384 + 7
    let levels = [SIMDLevel.scalar, .sse2, .avx2, .avx512].filter(\.isSupported)
    let start = floats(count, seed: 1)
    let grads = gradients(count: count, steps: 3)
    for make in [{ Optimizer<Float>.adam() }, { Optimizer<Float>.adam(amsgrad: true) }] {
      let expected = run(
        make, config: KernelConfiguration(threads: 1), start: start, gradients: grads)
      for threads in [2, 3] {
        for level in levels {
          let got = run(
            make, config: KernelConfiguration(threads: threads, simdLevel: level), start: start,
            gradients: grads)
          XCTAssertEqual(got, expected, "threads \(threads), \(level)")
        }
      }
    }
  }

  /// The update writes new buffers, so a tensor the caller still holds (as a layer holds its
  /// weights while the model gathers them for the optimizer) keeps its old values.
  func testCallersCopyIsNotModified() {
    var opt = Optimizer<Float>.adam()
    let kept = Tensor<Float>(shape: [3], scalars: [1, 2, 3])
    var params = [kept]
    opt.update(&params, gradients: [Tensor(shape: [3], scalars: [1, 1, 1])])
    XCTAssertEqual(kept.scalars, [1, 2, 3])
    XCTAssertEqual(params[0].scalars[0], 1 - 1e-3, accuracy: 1e-6)
  }
}
