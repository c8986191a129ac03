import RecurrentText

// The few operations the classic models need on CSR features. They live here, as an extension,
// because the vectorization folder belongs to RecurrentText.

extension SparseMatrix {
  /// The rows at `indices`, in that order (for cross-validation splits).
  ///
  /// ```swift
  /// let trainPart = features.selectingRows([0, 2, 5])
  /// ```
  public func selectingRows(_ indices: [Int]) -> SparseMatrix {
    var pointers = [0]
    pointers.reserveCapacity(indices.count + 1)
    var columns: [Int32] = []
    var newValues: [Double] = []
    for r in indices {
      precondition(r >= 0 && r < rows, "row \(r) outside 0..<\(rows)")
      columns.append(contentsOf: columnIndices[rowPointers[r]..<rowPointers[r + 1]])
      newValues.append(contentsOf: values[rowPointers[r]..<rowPointers[r + 1]])
      pointers.append(newValues.count)
    }
    return SparseMatrix(
      rows: indices.count, columns: self.columns, rowPointers: pointers, columnIndices: columns,
      values: newValues)
  }

  /// Every stored value replaced by 1 when it is greater than `threshold` and dropped otherwise,
  /// as scikit-learn's `binarize(X, threshold=...)` on a sparse matrix.
  ///
  /// ```swift
  /// let presence = counts.binarized()  // x > 0 → 1
  /// ```
  public func binarized(threshold: Double = 0) -> SparseMatrix {
    var pointers = [0]
    pointers.reserveCapacity(rows + 1)
    var columns: [Int32] = []
    columns.reserveCapacity(storedCount)
    for r in 0..<rows {
      for i in rowPointers[r]..<rowPointers[r + 1] where values[i] > threshold {
        columns.append(columnIndices[i])
      }
      pointers.append(columns.count)
    }
    return SparseMatrix(
      rows: rows, columns: self.columns, rowPointers: pointers, columnIndices: columns,
      values: [Double](repeating: 1, count: columns.count))
  }

  /// Each column `j` multiplied by `scale[j]`, `scale` of length `columns` (NB-SVM's `x ∘ r`).
  public func scalingColumns(by scale: [Double]) -> SparseMatrix {
    precondition(scale.count == columns, "scale needs \(columns) entries, received \(scale.count)")
    var newValues = values
    for i in 0..<newValues.count { newValues[i] *= scale[Int(columnIndices[i])] }
    return SparseMatrix(
      rows: rows, columns: columns, rowPointers: rowPointers, columnIndices: columnIndices,
      values: newValues)
  }
}
