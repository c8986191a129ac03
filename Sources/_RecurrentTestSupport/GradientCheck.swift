// Test support: finite-difference gradient checking, shared by every test target.
import RecurrentTensor
import XCTest

/// The outcome of ``checkGradients(at:epsilon:absoluteTolerance:relativeTolerance:_:)``.
public struct GradientCheckResult: CustomStringConvertible {
  /// One element whose analytic and numeric gradients disagree.
  public struct Mismatch: CustomStringConvertible {
    public var input: Int
    public var index: Int
    public var analytic: Double
    public var numeric: Double
    public var description: String {
      "input \(input) element \(index): analytic \(analytic), numeric \(numeric)"
    }
  }
  /// Elements beyond tolerance (all of them; the description shows the first few).
  public var mismatches: [Mismatch]
  /// The largest `|analytic − numeric|` over all elements.
  public var maxAbsoluteError: Double
  /// How many elements were compared.
  public var checkedCount: Int
  /// Whether every element was within tolerance.
  public var passed: Bool { mismatches.isEmpty }

  public var description: String {
    let head = mismatches.prefix(5).map(\.description).joined(separator: "; ")
    return
      "gradient check: \(checkedCount) elements, max abs error \(maxAbsoluteError), "
      + "\(mismatches.count) mismatches\(head.isEmpty ? "" : ": " + head)"
  }
}

/// Compares the tape's gradients of `loss` with central finite differences, in `Double`.
///
/// `loss` receives one ``Variable`` per input and must return a one-element variable. It runs
/// once on a fresh ``Tape`` (analytic gradients) and `2 · Σ count` more times on constant
/// variables, each with one element moved by `±epsilon`: numeric gradient
/// `(L(x + ε) − L(x − ε)) / 2ε`. An element passes when
/// `|analytic − numeric| ≤ absoluteTolerance + relativeTolerance · max(|analytic|, |numeric|)`.
/// Keep shapes tiny (a few dozen elements) and inputs away from kinks (ReLU at 0).
///
/// ```swift
/// let result = try checkGradients(at: [x, w]) { v in (matmul(v[0], v[1]).tanh() * probe).sum() }
/// XCTAssertTrue(result.passed, "\(result)")
/// ```
public func checkGradients(
  at inputs: [Tensor<Double>], epsilon: Double = 1e-6, absoluteTolerance: Double = 1e-7,
  relativeTolerance: Double = 1e-5, _ loss: ([Variable<Double>]) throws -> Variable<Double>
) rethrows -> GradientCheckResult {
  let tape = Tape<Double>()
  let variables = inputs.map { tape.variable($0) }
  let value = try loss(variables)
  precondition(
    value.value.count == 1, "checkGradients: loss must have one element, got \(value.shape)")
  var analytic: [Tensor<Double>] = inputs.map { Tensor(zeros: $0.shape) }
  if value.isTracked {
    let grads = tape.gradients(of: value)
    for i in inputs.indices { if let g = grads[variables[i]] { analytic[i] = g } }
  }
  var mismatches: [GradientCheckResult.Mismatch] = []
  var maxError = 0.0
  var checked = 0
  for i in inputs.indices {
    for j in 0..<inputs[i].count {
      var perturbed = inputs
      perturbed[i].scalars[j] += epsilon
      let plus = try loss(perturbed.map { Variable($0) }).value.scalar
      perturbed[i].scalars[j] -= 2 * epsilon
      let minus = try loss(perturbed.map { Variable($0) }).value.scalar
      let numeric = (plus - minus) / (2 * epsilon)
      let a = analytic[i].scalars[j]
      let error = abs(a - numeric)
      maxError = max(maxError, error)
      checked += 1
      if !(error <= absoluteTolerance + relativeTolerance * max(abs(a), abs(numeric))) {
        mismatches.append(.init(input: i, index: j, analytic: a, numeric: numeric))
      }
    }
  }
  return GradientCheckResult(
    mismatches: mismatches, maxAbsoluteError: maxError, checkedCount: checked)
}

/// Asserts (XCTest) that the gradients of `loss` at `inputs` match finite differences; see
/// ``checkGradients(at:epsilon:absoluteTolerance:relativeTolerance:_:)``.
public func assertGradientsMatch(
  at inputs: [Tensor<Double>], epsilon: Double = 1e-6, absoluteTolerance: Double = 1e-7,
  relativeTolerance: Double = 1e-5, _ message: @autoclosure () -> String = "",
  file: StaticString = #filePath, line: UInt = #line,
  _ loss: ([Variable<Double>]) throws -> Variable<Double>
) rethrows {
  let result = try checkGradients(
    at: inputs, epsilon: epsilon, absoluteTolerance: absoluteTolerance,
    relativeTolerance: relativeTolerance, loss)
  XCTAssertTrue(result.passed, "\(message()) \(result)", file: file, line: line)
  XCTAssertGreaterThan(
    result.checkedCount, 0, "gradient check compared nothing", file: file, line: line)
}

/// `Σ y ⊙ P` for a fixed pseudo-random probe `P` (normal, from `seed`): turns any output into a
/// scalar loss whose gradient `P` differs per element, so a wrong backward cannot hide behind a
/// uniform upstream gradient (as it could with a plain sum).
public func probeLoss(_ y: Variable<Double>, seed: UInt64 = 7) -> Variable<Double> {
  var rng = RandomGenerator(seed: seed)
  let probe = Tensor<Double>(normal: y.shape, using: &rng)
  return (y * Variable(probe)).sum()
}

/// A tensor of normal samples for test inputs (`seed` fixed, so tests are deterministic).
public func randomTensor(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor<Double> {
  var rng = RandomGenerator(seed: seed)
  return Tensor<Double>(normal: shape, standardDeviation: scale, using: &rng)
}

/// Asserts element-wise `|a − b| ≤ tolerance · max(1, |b|)` with equal shapes.
public func assertClose<S: TensorScalar>(
  _ a: Tensor<S>, _ b: Tensor<S>, tolerance: Double, _ message: @autoclosure () -> String = "",
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(a.shape, b.shape, "shape: \(message())", file: file, line: line)
  guard a.shape == b.shape else { return }
  var worst = 0.0
  var worstIndex = -1
  for i in 0..<a.count {
    let (x, y) = (Double(a.scalars[i]), Double(b.scalars[i]))
    let error = abs(x - y) / max(1, abs(y))
    if !(error <= worst) || error.isNaN {
      worst = error.isNaN ? .infinity : error
      worstIndex = i
    }
  }
  XCTAssertLessThanOrEqual(
    worst, tolerance, "\(message()): worst relative error at flat index \(worstIndex)", file: file,
    line: line)
}
