/// Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) for a smooth convex objective: the
/// two-loop recursion with `memory` correction pairs and a backtracking Armijo line search.
/// Stops as scipy's `L-BFGS-B` does under scikit-learn: `max|∇f| ≤ gradientTolerance`, or a
/// relative decrease `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ functionTolerance`, or
/// `maxIterations`.
struct LBFGS {
  var memory = 10
  var gradientTolerance = 1e-4
  var functionTolerance = 64 * Double.ulpOfOne
  var maxIterations = 100
  var maxLineSearchSteps = 50

  struct Result {
    var x: [Double]
    var value: Double
    var iterations: Int
    var converged: Bool
  }

  /// Minimizes `objective(x, &gradient) -> f(x)` from `start`.
  func minimize(start: [Double], objective: ([Double], inout [Double]) -> Double) -> Result {
    let n = start.count
    let m = memory
    var x = start
    var g = [Double](repeating: 0, count: n)
    var f = objective(x, &g)
    // The correction pairs live in two flat ring buffers `[m, n]`; pair `j` of `count` (oldest
    // first) is slot `(head + j) % m`. Vector loops use raw pointers because `swift test` runs
    // debug builds, where array subscripts cost tens of nanoseconds each.
    var sHistory = [Double](repeating: 0, count: m * n)
    var yHistory = [Double](repeating: 0, count: m * n)
    var rho = [Double](repeating: 0, count: m)
    var a = [Double](repeating: 0, count: m)
    var head = 0
    var count = 0
    var direction = [Double](repeating: 0, count: n)
    var trial = [Double](repeating: 0, count: n)
    var trialGradient = [Double](repeating: 0, count: n)
    var iteration = 0
    if maxAbs(g) <= gradientTolerance {
      return Result(x: x, value: f, iterations: 0, converged: true)
    }
    var converged = false
    while iteration < maxIterations {
      // Two-loop recursion: direction = −H g.
      var firstStep = 1.0
      sHistory.withUnsafeBufferPointer { sBuffer in
        yHistory.withUnsafeBufferPointer { yBuffer in
          let s = sBuffer.baseAddress!
          let y = yBuffer.baseAddress!
          direction.withUnsafeMutableBufferPointer { dBuffer in
            let d = dBuffer.baseAddress!
            g.withUnsafeBufferPointer { gBuffer in
              let gp = gBuffer.baseAddress!
              var i = 0
              while i < n {
                d[i] = -gp[i]
                i &+= 1
              }
            }
            for j in stride(from: count - 1, through: 0, by: -1) {
              let slot = (head + j) % m
              a[j] = rho[slot] * dotPointers(s + slot * n, d, n)
              axpyPointers(-a[j], y + slot * n, d, n)
            }
            if count > 0 {
              let slot = (head + count - 1) % m
              let yy = dotPointers(y + slot * n, y + slot * n, n)
              let gamma = 1 / (rho[slot] * yy)
              var i = 0
              while i < n {
                d[i] *= gamma
                i &+= 1
              }
            } else {
              firstStep = 1 / max(dotPointers(d, d, n).squareRoot(), 1e-300)
            }
            for j in 0..<count {
              let slot = (head + j) % m
              let b = rho[slot] * dotPointers(y + slot * n, d, n)
              axpyPointers(a[j] - b, s + slot * n, d, n)
            }
          }
        }
      }
      var slope = dot(g, direction)
      if slope >= 0 {
        // Not a descent direction (numerical trouble): restart from steepest descent.
        count = 0
        for i in 0..<n { direction[i] = -g[i] }
        slope = dot(g, direction)
        firstStep = 1 / max(norm(g), 1e-300)
      }
      var step = firstStep
      var newF = f
      var accepted = false
      for _ in 0..<maxLineSearchSteps {
        x.withUnsafeBufferPointer { xp in
          direction.withUnsafeBufferPointer { dp in
            trial.withUnsafeMutableBufferPointer { tp in
              let xb = xp.baseAddress!
              let db = dp.baseAddress!
              let tb = tp.baseAddress!
              var i = 0
              while i < n {
                tb[i] = xb[i] + step * db[i]
                i &+= 1
              }
            }
          }
        }
        newF = objective(trial, &trialGradient)
        if newF <= f + 1e-4 * step * slope {
          accepted = true
          break
        }
        step *= 0.5
      }
      iteration += 1
      if !accepted { break }
      // Store s = trial − x and y = ∇f(trial) − ∇f(x) in the next slot.
      let slot = count < m ? (head + count) % m : head
      var sy = 0.0
      var yy = 0.0
      sHistory.withUnsafeMutableBufferPointer { sBuffer in
        yHistory.withUnsafeMutableBufferPointer { yBuffer in
          let s = sBuffer.baseAddress! + slot * n
          let y = yBuffer.baseAddress! + slot * n
          x.withUnsafeBufferPointer { xp in
            trial.withUnsafeBufferPointer { tp in
              g.withUnsafeBufferPointer { gp in
                trialGradient.withUnsafeBufferPointer { tgp in
                  let xb = xp.baseAddress!
                  let tb = tp.baseAddress!
                  let gb = gp.baseAddress!
                  let tgb = tgp.baseAddress!
                  var i = 0
                  while i < n {
                    let si = tb[i] - xb[i]
                    let yi = tgb[i] - gb[i]
                    s[i] = si
                    y[i] = yi
                    sy += si * yi
                    yy += yi * yi
                    i &+= 1
                  }
                }
              }
            }
          }
        }
      }
      if sy > 1e-12 * yy && sy > 0 {
        rho[slot] = 1 / sy
        if count < m { count += 1 } else { head = (head + 1) % m }
      }
      let oldF = f
      swap(&x, &trial)
      swap(&g, &trialGradient)
      f = newF
      if maxAbs(g) <= gradientTolerance
        || (oldF - f) / max(abs(oldF), abs(f), 1) <= functionTolerance
      {
        converged = true
        break
      }
    }
    return Result(x: x, value: f, iterations: iteration, converged: converged)
  }
}

// `while` rather than `for … in 0..<n`: debug builds call the range iterator per element.
func dotPointers(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
  var s0 = 0.0
  var s1 = 0.0
  var i = 0
  while i + 1 < n {
    s0 += a[i] * b[i]
    s1 += a[i &+ 1] * b[i &+ 1]
    i &+= 2
  }
  if i < n { s0 += a[i] * b[i] }
  return s0 + s1
}

func axpyPointers(
  _ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int
) {
  var i = 0
  while i < n {
    y[i] += alpha * x[i]
    i &+= 1
  }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
  a.withUnsafeBufferPointer { a in
    b.withUnsafeBufferPointer { b in dotPointers(a.baseAddress!, b.baseAddress!, a.count) }
  }
}

func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

func maxAbs(_ a: [Double]) -> Double {
  a.withUnsafeBufferPointer { p in
    var m = 0.0
    for v in p { m = max(m, abs(v)) }
    return m
  }
}
