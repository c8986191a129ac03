import RecurrentLayers
import RecurrentTensor
import XCTest

final class OptimizerTests: XCTestCase {
  /// The optimizer each fixture case was made with (see Tools/make_training_fixtures.py).
  func optimizer(for name: String) -> Optimizer<Float> {
    switch name {
    case "sgd": return .sgd(learningRate: 0.1)
    case "sgd_momentum": return .sgd(learningRate: 0.1, momentum: 0.9)
    case "sgd_nesterov": return .sgd(learningRate: 0.1, momentum: 0.9, nesterov: true)
    case "adam": return .adam()
    case "adam_lr0.05_amsgrad": return .adam(learningRate: 0.05, amsgrad: true)
    case "adamw": return .adamW(learningRate: 0.01)
    case "rmsprop": return .rmsprop()
    case "rmsprop_centered_momentum":
      return .rmsprop(learningRate: 0.01, momentum: 0.5, centered: true)
    case "adagrad": return .adagrad(learningRate: 0.1)
    case "adam_clipnorm": return .adam(learningRate: 0.01, clipNorm: 0.5)
    case "sgd_clipvalue": return .sgd(learningRate: 0.1, clipValue: 0.3)
    case "sgd_global_clipnorm": return .sgd(learningRate: 0.1, globalClipNorm: 0.8)
    case "sgd_exponential_decay":
      return .sgd(learningRate: .exponentialDecay(initial: 0.1, decaySteps: 2, decayRate: 0.5))
    case "sgd_momentum_piecewise":
      return .sgd(
        learningRate: .piecewiseConstant(boundaries: [1, 3], values: [0.1, 0.05, 0.01]),
        momentum: 0.9)
    case "adam_cosine":
      return .adam(learningRate: .cosineDecay(initial: 0.05, decaySteps: 4, alpha: 0.1))
    default: fatalError("no optimizer for fixture case \(name)")
    }
  }

  /// Six steps on fixed gradients for a [3, 2] kernel and a [2] bias match Keras after every step.
  func testGoldenStepsAgainstKeras() throws {
    let fixture = try Fixture("train_optimizers")
    XCTAssertEqual(fixture.cases.count, 15)
    for (name, c) in fixture.cases {
      var opt = optimizer(for: name)
      var params = [
        Tensor(shape: [3, 2], scalars: doubles(c["w0"]).map { Float($0) }),
        Tensor(shape: [2], scalars: doubles(c["b0"]).map { Float($0) }),
      ]
      let grads = c["grads"] as! [[String: Any]]
      let after = c["after_each_step"] as! [[String: Any]]
      for (step, g) in grads.enumerated() {
        opt.update(
          &params,
          gradients: [
            Tensor(shape: [3, 2], scalars: doubles(g["w"]).map { Float($0) }),
            Tensor(shape: [2], scalars: doubles(g["b"]).map { Float($0) }),
          ])
        assertClose(
          params[0].scalars, doubles(after[step]["w"]), tol: 1e-6, "\(name) w step \(step)")
        assertClose(
          params[1].scalars, doubles(after[step]["b"]), tol: 1e-6, "\(name) b step \(step)")
      }
      XCTAssertEqual(opt.iterations, grads.count)
    }
  }

  func testSchedulesMatchKeras() throws {
    let fixture = try Fixture("train_schedules")
    for (name, c) in fixture.cases {
      let cfg = c["config"] as! [String: Any]
      let schedule: LearningRateSchedule
      switch name {
      case "exponential", "exponential_staircase":
        schedule = .exponentialDecay(
          initial: cfg["initial"] as! Double, decaySteps: cfg["decay_steps"] as! Int,
          decayRate: cfg["decay_rate"] as! Double, staircase: cfg["staircase"] as! Bool)
      case "inverse_time":
        schedule = .inverseTimeDecay(
          initial: cfg["initial"] as! Double, decaySteps: cfg["decay_steps"] as! Int,
          decayRate: cfg["decay_rate"] as! Double, staircase: false)
      case "piecewise":
        schedule = .piecewiseConstant(
          boundaries: (cfg["boundaries"] as! [Int]), values: doubles(cfg["values"]))
      case "cosine":
        schedule = .cosineDecay(
          initial: cfg["initial"] as! Double, decaySteps: cfg["decay_steps"] as! Int,
          alpha: cfg["alpha"] as! Double)
      default: fatalError("no schedule for \(name)")
      }
      // Keras evaluates schedules in float32.
      assertClose((0..<10).map { schedule(step: $0) }, doubles(c["values"]), tol: 1e-7, name)
    }
  }

  /// PyTorch's SGD momentum (`b ← μb + g`, `w ← w − lr·b`) equals Keras's under a constant
  /// rate; the documented difference only appears when the rate changes.
  func testKerasMomentumEqualsPyTorchFormAtConstantRate() {
    var opt = Optimizer<Double>.sgd(learningRate: 0.05, momentum: 0.8, nesterov: false)
    var params = [Tensor<Double>(shape: [3], scalars: [1, -2, 0.5])]
    var torchW: [Double] = [1, -2, 0.5]
    var b: [Double] = [0, 0, 0]
    for step in 0..<5 {
      let g = randomDoubles(3, seed: UInt64(step))
      opt.update(&params, gradients: [Tensor(shape: [3], scalars: g)])
      for j in 0..<3 {
        b[j] = 0.8 * b[j] + g[j]
        torchW[j] -= 0.05 * b[j]
      }
    }
    assertClose(params[0].scalars, torchW, tol: 1e-12, "keras vs torch momentum")
  }

  func testLearningRateCanBeReplacedMidTraining() {
    var opt = Optimizer<Float>.adam()
    XCTAssertEqual(opt.currentLearningRate, 1e-3)
    opt.learningRate = 5e-4  // what ReduceLROnPlateau does
    XCTAssertEqual(opt.currentLearningRate, 5e-4)
    var p = [Tensor<Float>(shape: [1], scalars: [1])]
    opt.update(&p, gradients: [Tensor(shape: [1], scalars: [1])])
    // First Adam step moves by lr · sign(g) (up to ε).
    XCTAssertEqual(p[0].scalars[0], 1 - 5e-4, accuracy: 1e-7)
    opt.reset()
    XCTAssertEqual(opt.iterations, 0)
    XCTAssert(opt.slots.isEmpty)
  }

  /// A learning-rate multiplier on parameter 0 updates it exactly as a separate optimizer with
  /// the multiplied rate would, and leaves parameter 1 at the common rate.
  func testLearningRateMultiplierIsAPerParameterRate() {
    let w0 = Tensor<Float>(shape: [3], scalars: [1, -2, 0.5])
    let w1 = Tensor<Float>(shape: [2], scalars: [0.3, 0.7])
    let g0 = [
      Tensor<Float>(shape: [3], scalars: [0.5, -0.1, 2]), Tensor(shape: [3], scalars: [1, 1, -3]),
    ]
    let g1 = [
      Tensor<Float>(shape: [2], scalars: [-0.4, 0.2]), Tensor(shape: [2], scalars: [0.1, -2]),
    ]
    for algorithm in [
      Optimizer<Float>.adam(learningRate: 0.01), .sgd(learningRate: 0.1, momentum: 0.9),
    ] {
      var grouped = algorithm
      grouped.learningRateMultipliers = [0.1]
      var params = [w0, w1]
      var slow = algorithm
      slow.learningRate = .constant(algorithm.learningRate(step: 0) * 0.1)
      var alone0 = [w0]
      var common = algorithm
      var alone1 = [w1]
      for step in 0..<2 {
        grouped.update(&params, gradients: [g0[step], g1[step]])
        slow.update(&alone0, gradients: [g0[step]])
        common.update(&alone1, gradients: [g1[step]])
      }
      XCTAssertEqual(params[0], alone0[0])
      XCTAssertEqual(params[1], alone1[0])
      XCTAssertNotEqual(params[0], w0)
    }
  }
}
