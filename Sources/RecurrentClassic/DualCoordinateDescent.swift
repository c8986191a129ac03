import RecurrentText

/// The loss of a linear SVM.
public enum SVMLoss: Sendable, Equatable {
  /// `max(0, 1 − y·f(x))` (liblinear `-s 3`, scikit-learn `loss="hinge"`).
  case hinge
  /// `max(0, 1 − y·f(x))²` (liblinear `-s 1`, scikit-learn's default `loss="squared_hinge"`).
  case squaredHinge
}

/// The result of one binary dual coordinate descent solve.
struct DualSolution {
  /// `[D]`.
  var weights: [Double]
  /// The weight of the appended bias feature (0 without intercept).
  var biasWeight: Double
  var iterations: Int
}

/// Dual coordinate descent for the L2-regularized linear SVM (Hsieh et al. 2008, "A Dual
/// Coordinate Descent Method for Large-scale Linear SVM"), written as liblinear's
/// `solve_l2r_l1l2_svc` (including its shrinking and stopping rule) so that the solution matches
/// scikit-learn's `LinearSVC(dual=True)`:
///
///     min_α  ½ αᵀ Q̄ α − eᵀα,  Q̄ = Q + diag(δ),  Q_ij = y_i y_j x_iᵀ x_j,  0 ≤ α_i ≤ U
///     hinge: δ = 0, U = C;   squared hinge: δ = 1/(2C), U = ∞;   w = Σ y_i α_i x_i
///
/// `bias`, when given, is appended to every row as an extra (regularized) feature, as liblinear's
/// `-B bias` (scikit-learn's `intercept_scaling`). The visiting order is shuffled every epoch with
/// `generator` (liblinear uses C `rand`, so agreement with it is judged on predictions).
func solveDualSVM(
  _ x: SparseMatrix, positive: [Bool], cost: Double, loss: SVMLoss, bias: Double?,
  tolerance: Double, maxIterations: Int, generator: inout SplitMix64
) -> DualSolution {
  let l = x.rows
  let d = x.columns
  let diag = loss == .squaredHinge ? 0.5 / cost : 0
  let upper = loss == .squaredHinge ? Double.infinity : cost
  let b = bias ?? 0
  var w = [Double](repeating: 0, count: d)
  var wb = 0.0
  var alpha = [Double](repeating: 0, count: l)
  var qd = [Double](repeating: 0, count: l)
  var y = [Double](repeating: 0, count: l)
  var index = Array(0..<l)
  var iteration = 0
  x.rowPointers.withUnsafeBufferPointer { ptr in
    x.columnIndices.withUnsafeBufferPointer { col in
      x.values.withUnsafeBufferPointer { val in
        w.withUnsafeMutableBufferPointer { w in
          alpha.withUnsafeMutableBufferPointer { alpha in
            qd.withUnsafeMutableBufferPointer { qd in
              y.withUnsafeMutableBufferPointer { y in
                index.withUnsafeMutableBufferPointer { index in
                  for i in 0..<l {
                    y[i] = positive[i] ? 1 : -1
                    var s = diag + b * b
                    for e in ptr[i]..<ptr[i + 1] { s += val[e] * val[e] }
                    qd[i] = s
                  }
                  var activeSize = l
                  var pgMaxOld = Double.infinity
                  var pgMinOld = -Double.infinity
                  while iteration < maxIterations {
                    var pgMaxNew = -Double.infinity
                    var pgMinNew = Double.infinity
                    for i in 0..<activeSize {
                      let j = i + generator.nextIndex(below: activeSize - i)
                      index.swapAt(i, j)
                    }
                    var s = 0
                    while s < activeSize {
                      let i = index[s]
                      let start = ptr[i]
                      let end = ptr[i + 1]
                      var g = wb * b
                      var e = start
                      while e < end {
                        g += w[Int(col[e])] * val[e]
                        e += 1
                      }
                      let yi = y[i]
                      g = g * yi - 1 + alpha[i] * diag
                      var pg = 0.0
                      if alpha[i] == 0 {
                        if g > pgMaxOld {
                          activeSize -= 1
                          index.swapAt(s, activeSize)
                          continue
                        } else if g < 0 {
                          pg = g
                        }
                      } else if alpha[i] == upper {
                        if g < pgMinOld {
                          activeSize -= 1
                          index.swapAt(s, activeSize)
                          continue
                        } else if g > 0 {
                          pg = g
                        }
                      } else {
                        pg = g
                      }
                      pgMaxNew = max(pgMaxNew, pg)
                      pgMinNew = min(pgMinNew, pg)
                      if abs(pg) > 1e-12 {
                        let old = alpha[i]
                        alpha[i] = min(max(old - g / qd[i], 0), upper)
                        let delta = (alpha[i] - old) * yi
                        e = start
                        while e < end {
                          w[Int(col[e])] += delta * val[e]
                          e += 1
                        }
                        wb += delta * b
                      }
                      s += 1
                    }
                    iteration += 1
                    if pgMaxNew - pgMinNew <= tolerance {
                      if activeSize == l { break }
                      activeSize = l
                      pgMaxOld = .infinity
                      pgMinOld = -.infinity
                      continue
                    }
                    pgMaxOld = pgMaxNew <= 0 ? .infinity : pgMaxNew
                    pgMinOld = pgMinNew >= 0 ? -.infinity : pgMinNew
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return DualSolution(weights: w, biasWeight: wb, iterations: iteration)
}
