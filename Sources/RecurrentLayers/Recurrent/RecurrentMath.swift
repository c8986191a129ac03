// Small buffer helpers shared by the cells and the sequence loop. Generic and plain on purpose:
// the Float hot paths go to the C kernels in CRecurrentKernels (rnn_pointwise.c).
import RecurrentTensor

enum RecurrentMath {
  /// `sums[j] += Σ_r m[r, j]` for a row-major `[rows, columns]` matrix.
  static func addColumnSums<Scalar: TensorScalar>(
    _ m: UnsafePointer<Scalar>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Scalar>
  ) {
    if RNNKernels.addColumnSums(m, rows: rows, columns: columns, into: sums) { return }
    for r in 0..<rows {
      let row = m + r * columns
      for j in 0..<columns { sums[j] += row[j] }
    }
  }

  /// `y[i] = x[i]` for `i < count` (a memcpy: Float and Double are trivial types, and the
  /// unspecialized generic `update(from:)` would copy element by element).
  @inline(__always)
  static func copy<Scalar: TensorScalar>(
    _ x: UnsafePointer<Scalar>, to y: UnsafeMutablePointer<Scalar>, count: Int
  ) {
    UnsafeMutableRawPointer(y).copyMemory(
      from: UnsafeRawPointer(x), byteCount: count * MemoryLayout<Scalar>.stride)
  }

  /// `y[i] = 0` for `i < count` (a memset: all-zero bits are 0.0 for Float and Double).
  @inline(__always)
  static func zero<Scalar: TensorScalar>(_ y: UnsafeMutablePointer<Scalar>, count: Int) {
    UnsafeMutableRawPointer(y).initializeMemory(
      as: UInt8.self, repeating: 0, count: count * MemoryLayout<Scalar>.stride)
  }
}
