import RecurrentTensor
import XCTest

final class TensorTests: XCTestCase {
  func testShapeAndCount() {
    let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(x.shape, [2, 3])
    XCTAssertEqual(x.rank, 2)
    XCTAssertEqual(x.count, 6)
  }

  func testFloatGemmMatchesDoubleWithTransposes() {
    // A is 2×3, B is 3×2; check all four transpose combinations against the Double loop.
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    let b: [Float] = [7, 8, 9, 10, 11, 12]
    for ta in [false, true] {
      for tb in [false, true] {
        var c = [Float](repeating: 1, count: 4)
        var cd = [Double](repeating: 1, count: 4)
        let ad = a.map(Double.init)
        let bd = b.map(Double.init)
        // Interpreting the buffers as transposed changes which rows are read, not the count.
        Float.gemm(
          transposeA: ta, transposeB: tb, m: 2, n: 2, k: 3, alpha: 2, a: a, lda: ta ? 2 : 3, b: b,
          ldb: tb ? 3 : 2, beta: 0.5, c: &c, ldc: 2)
        Double.gemm(
          transposeA: ta, transposeB: tb, m: 2, n: 2, k: 3, alpha: 2, a: ad, lda: ta ? 2 : 3, b: bd,
          ldb: tb ? 3 : 2, beta: 0.5, c: &cd, ldc: 2)
        XCTAssertEqual(c.map(Double.init), cd, "transposeA \(ta) transposeB \(tb)")
      }
    }
    // One known value: A·B with no transposes, alpha 1, beta 0.
    var c = [Float](repeating: 0, count: 4)
    Float.gemm(
      transposeA: false, transposeB: false, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 3, b: b, ldb: 2,
      beta: 0, c: &c, ldc: 2)
    XCTAssertEqual(c, [58, 64, 139, 154])
  }

  func testIdRowsMakeAnIdMatrix() {
    let x = Tensor<Float>(idRows: [[4, 2, 0], [7, 0, 0]] as [[Int32]])
    XCTAssertEqual(x.shape, [2, 3])
    XCTAssertEqual(x.scalars, [4, 2, 0, 7, 0, 0])
    XCTAssertEqual(Tensor<Float>(idRows: [] as [[Int]], width: 5).shape, [0, 5])
  }
}
