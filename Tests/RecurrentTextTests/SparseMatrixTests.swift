import XCTest

@testable import RecurrentText

final class SparseMatrixTests: XCTestCase {
  func testDenseRoundTrip() {
    let dense: [[Double]] = [[0, 1.5, 0], [0, 0, 0], [2, 0, -3]]
    let m = SparseMatrix(denseRows: dense, columns: 3)
    XCTAssertEqual(m.rowPointers, [0, 1, 1, 3])
    XCTAssertEqual(m.columnIndices, [1, 0, 2])
    XCTAssertEqual(m.values, [1.5, 2, -3])
    XCTAssertEqual(m.denseRows(), dense)
    XCTAssertEqual(m[2, 2], -3)
    XCTAssertEqual(m[1, 1], 0)
    XCTAssertEqual(m.storedCount, 3)
  }

  func testVectorizerOutputIsValidCSR() throws {
    var v = TfidfVectorizer(ngramRange: 1...2)
    let m = try v.fitTransform(["the cat sat on the mat", "", "the dog sat", "cat cat dog"])
    XCTAssertEqual(m.rowPointers.count, m.rows + 1)
    for r in 0..<m.rows {
      let columns = m.row(r).map(\.column)
      XCTAssertEqual(columns, Array(Set(columns)).sorted(), "row \(r) columns sorted and unique")
      XCTAssertTrue(columns.allSatisfy { $0 < m.columns })
      let norm = m.row(r).reduce(0) { $0 + $1.value * $1.value }
      XCTAssertEqual(norm, columns.isEmpty ? 0 : 1, accuracy: 1e-12, "row \(r) l2-normalized")
    }
  }
}
