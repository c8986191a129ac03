/// A sparse matrix in compressed sparse row (CSR) form, as scikit-learn's `csr_matrix`: row `r`'s
/// entries are `values[rowPointers[r]..<rowPointers[r + 1]]` in columns
/// `columnIndices[rowPointers[r]..<rowPointers[r + 1]]`, columns ascending within a row.
///
/// ```swift
/// let m = SparseMatrix(rows: 2, columns: 3, rowPointers: [0, 1, 3],
///                      columnIndices: [2, 0, 1], values: [1, 4, 5])
/// m[1, 0]  // 4
/// ```
public struct SparseMatrix: Sendable, Equatable {
  /// The number of rows (documents).
  public let rows: Int
  /// The number of columns (features).
  public let columns: Int
  /// `rows + 1` offsets into `columnIndices` and `values`.
  public let rowPointers: [Int]
  /// The column of each stored entry.
  public let columnIndices: [Int32]
  /// The value of each stored entry.
  public let values: [Double]

  /// Creates a matrix from CSR arrays.
  /// - Precondition: the arrays are consistent (a programmer error otherwise).
  public init(rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Double])
  {
    precondition(rowPointers.count == rows + 1, "rowPointers needs rows + 1 = \(rows + 1) entries")
    precondition(
      rowPointers.first == 0 && rowPointers.last == values.count, "rowPointers out of range")
    precondition(columnIndices.count == values.count, "columnIndices and values differ in length")
    self.rows = rows
    self.columns = columns
    self.rowPointers = rowPointers
    self.columnIndices = columnIndices
    self.values = values
  }

  /// The number of stored entries.
  public var storedCount: Int { values.count }

  /// The entries of one row as (column, value) pairs, columns ascending.
  public func row(_ r: Int) -> [(column: Int, value: Double)] {
    (rowPointers[r]..<rowPointers[r + 1]).map { (Int(columnIndices[$0]), values[$0]) }
  }

  /// The value at (`row`, `column`), zero when not stored.
  public subscript(row: Int, column: Int) -> Double {
    let range = rowPointers[row]..<rowPointers[row + 1]
    for i in range where Int(columnIndices[i]) == column { return values[i] }
    return 0
  }

  /// The matrix as dense rows `[rows][columns]` (for small matrices and tests).
  public func denseRows() -> [[Double]] {
    (0..<rows).map { r in
      var row = [Double](repeating: 0, count: columns)
      for k in rowPointers[r]..<rowPointers[r + 1] { row[Int(columnIndices[k])] = values[k] }
      return row
    }
  }

  /// A CSR matrix holding the non-zero entries of dense `rows`, each `columns` wide.
  /// - Precondition: every row has `columns` entries.
  public init(denseRows: [[Double]], columns: Int) {
    var pointers = [0]
    var indices: [Int32] = []
    var stored: [Double] = []
    for row in denseRows {
      precondition(row.count == columns, "every row needs \(columns) entries, got \(row.count)")
      for (j, v) in row.enumerated() where v != 0 {
        indices.append(Int32(j))
        stored.append(v)
      }
      pointers.append(stored.count)
    }
    self.init(
      rows: denseRows.count, columns: columns, rowPointers: pointers, columnIndices: indices,
      values: stored)
  }
}
