import Foundation

/// A learning rate as a function of the optimizer step (0 for the first update), with Keras's
/// formulas (`keras.optimizers.schedules`). A plain number is a constant schedule.
///
/// ```swift
/// let lr: LearningRateSchedule = .exponentialDecay(initial: 0.1, decaySteps: 100, decayRate: 0.5)
/// lr(step: 200)  // 0.025
/// let constant: LearningRateSchedule = 1e-3
/// ```
public enum LearningRateSchedule: Sendable, Codable, Equatable, ExpressibleByFloatLiteral,
  ExpressibleByIntegerLiteral
{
  /// The same rate at every step.
  case constant(Double)
  /// `initial · rate^(step / decaySteps)`; with `staircase` the exponent is floored.
  case exponentialDecay(initial: Double, decaySteps: Int, decayRate: Double, staircase: Bool)
  /// `initial / (1 + rate · step / decaySteps)`; with `staircase` the fraction is floored.
  case inverseTimeDecay(initial: Double, decaySteps: Int, decayRate: Double, staircase: Bool)
  /// `values[0]` while `step ≤ boundaries[0]`, `values[i]` while
  /// `boundaries[i−1] < step ≤ boundaries[i]`, the last value after (a step schedule).
  case piecewiseConstant(boundaries: [Int], values: [Double])
  /// Cosine annealing from `initial` to `initial · alpha` over `decaySteps`, then flat.
  case cosineDecay(initial: Double, decaySteps: Int, alpha: Double)

  public init(floatLiteral value: Double) { self = .constant(value) }
  public init(integerLiteral value: Int) { self = .constant(Double(value)) }

  /// Exponential decay with Keras's defaults.
  public static func exponentialDecay(initial: Double, decaySteps: Int, decayRate: Double)
    -> Self
  {
    .exponentialDecay(
      initial: initial, decaySteps: decaySteps, decayRate: decayRate, staircase: false)
  }

  /// Cosine decay to 0 (Keras's default `alpha`).
  public static func cosineDecay(initial: Double, decaySteps: Int) -> Self {
    .cosineDecay(initial: initial, decaySteps: decaySteps, alpha: 0)
  }

  /// The rate for optimizer step `step` (the number of updates already applied).
  public func callAsFunction(step: Int) -> Double {
    let s = Double(step)
    switch self {
    case .constant(let value):
      return value
    case let .exponentialDecay(initial, decaySteps, decayRate, staircase):
      var p = s / Double(decaySteps)
      if staircase { p.round(.down) }
      return initial * Foundation.pow(decayRate, p)
    case let .inverseTimeDecay(initial, decaySteps, decayRate, staircase):
      var p = s / Double(decaySteps)
      if staircase { p.round(.down) }
      return initial / (1 + decayRate * p)
    case let .piecewiseConstant(boundaries, values):
      precondition(
        values.count == boundaries.count + 1,
        "piecewiseConstant needs one more value than boundaries, received \(values.count) values "
          + "for \(boundaries.count) boundaries")
      let index = boundaries.firstIndex { step <= $0 } ?? boundaries.count
      return values[index]
    case let .cosineDecay(initial, decaySteps, alpha):
      let fraction = min(s, Double(decaySteps)) / Double(decaySteps)
      let cosine = 0.5 * (1 + Foundation.cos(Double.pi * fraction))
      return initial * ((1 - alpha) * cosine + alpha)
    }
  }
}
