// Small buffer helpers shared by the cells and the sequence loop. Generic and plain on purpose:
// the Float hot paths go to the C kernels in CRecurrentKernels (rnn_pointwise.c).
import RecurrentTensor

enum RecurrentMath {
  /// `sums[j] += Σ_r m[r, j]` for a row-major `[rows, columns]` matrix.
  static func addColumnSums<Scalar: TensorScalar>(
    _ m: UnsafePointer<Scalar>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Scalar>
  ) {
    for r in 0..<rows {
      let row = m + r * columns
      for j in 0..<columns { sums[j] += row[j] }
    }
  }

  /// `y[i] = x[i]` for `i < count`.
  @inline(__always)
  static func copy<Scalar>(
    _ x: UnsafePointer<Scalar>, to y: UnsafeMutablePointer<Scalar>, count: Int
  ) {
    y.update(from: x, count: count)
  }

  /// `y[i] = 0` for `i < count`.
  @inline(__always)
  static func zero<Scalar: TensorScalar>(_ y: UnsafeMutablePointer<Scalar>, count: Int) {
    y.update(repeating: 0, count: count)
  }
}
