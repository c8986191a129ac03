/// The sorted distinct labels of a training set and each row's class index, as scikit-learn's
/// `LabelEncoder` (classes ascending, so class order never depends on hashing).
struct ClassEncoding<Label: Hashable & Comparable & Sendable>: Sendable {
  let classes: [Label]
  let indices: [Int]

  init(labels: [Label], rows: Int) throws {
    guard labels.count == rows else {
      throw ClassicError.rowCountMismatch(features: rows, labels: labels.count)
    }
    let classes = Array(Set(labels)).sorted()
    guard classes.count >= 2 else { throw ClassicError.tooFewClasses(found: classes.count) }
    var position: [Label: Int] = [:]
    for (i, label) in classes.enumerated() { position[label] = i }
    self.classes = classes
    self.indices = labels.map { position[$0]! }
  }

  /// The number of rows in each class, `[K]`.
  var counts: [Int] {
    var counts = [Int](repeating: 0, count: classes.count)
    for k in indices { counts[k] += 1 }
    return counts
  }
}

func checkParameter(_ ok: Bool, _ name: String, _ value: Double, _ expected: String) throws {
  if !ok { throw ClassicError.invalidParameter(name: name, value: "\(value)", expected: expected) }
}
