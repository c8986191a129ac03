// The engine under CountVectorizer / TfidfVectorizer: documents → token ids → n-gram feature ids
// → per-row counts, then pruning and scikit-learn's alphabetical column order. Strings are hashed
// once per token (bytes → token id); n-grams are hashed as integer tuples.

/// The fitted state of a word n-gram vocabulary: the interned tokens and n-grams of the training
/// documents and the column each kept n-gram was given (-1 when pruned).
struct NGramVocabulary: Sendable {
  var tokenizer: WordPatternTokenizer
  /// A caller's tokenizer replacing the token pattern (applied after lower-casing).
  var customTokenizer: (@Sendable (String) -> [String])?
  var ngramRange: ClosedRange<Int>
  var tokens: ByteStringTable
  /// Token ids below this are stop words (they are interned first).
  var stopCount: Int
  var features: IDSequenceTable
  var column: [Int32]
  var featureNames: [String]

  init(
    tokenizer: WordPatternTokenizer, customTokenizer: (@Sendable (String) -> [String])?,
    ngramRange: ClosedRange<Int>, stopWords: [String]
  ) {
    self.tokenizer = tokenizer
    self.customTokenizer = customTokenizer
    self.ngramRange = ngramRange
    var table = ByteStringTable(capacity: 1 << 14)
    for word in stopWords {
      var w = word
      _ = w.withUTF8 { table.intern($0) }
    }
    tokens = table
    stopCount = table.count
    features = IDSequenceTable(capacity: 1 << 15)
    column = []
    featureNames = []
  }

  /// Appends the feature ids of `document` to `out` (interning new ones when `intern`; otherwise
  /// n-grams never seen in fitting are skipped). `tokenIDs` and `scratch` are reused storage.
  mutating func featureIDs(
    of document: String, intern: Bool, tokenIDs: inout [Int32], scratch: inout [UInt8],
    into out: inout [Int32]
  ) {
    tokenIDs.removeAll(keepingCapacity: true)
    let stopCount = Int32(self.stopCount)
    if let customTokenizer {
      let text = tokenizer.lowercase ? pythonLowercased(document) : document
      for token in customTokenizer(text) {
        var t = token
        let id = t.withUTF8 { intern ? tokens.intern($0) : tokens.find($0) }
        if id < 0 || id >= stopCount { tokenIDs.append(id) }
      }
    } else {
      tokenizer.forEachToken(in: document, scratch: &scratch) { token in
        let id = intern ? tokens.intern(token) : tokens.find(token)
        // Stop words are dropped before n-grams are formed, as scikit-learn's `_word_ngrams`.
        if id < 0 || id >= stopCount { tokenIDs.append(id) }
      }
    }
    let count = tokenIDs.count
    tokenIDs.withUnsafeBufferPointer { ids in
      for n in ngramRange where n <= count {
        for start in 0...(count - n) {
          let window = UnsafeBufferPointer(rebasing: ids[start..<(start + n)])
          if intern {
            out.append(features.intern(window))
          } else {
            if window.contains(-1) { continue }  // an unseen token: the n-gram is unseen too
            let f = features.find(window)
            if f >= 0 { out.append(f) }
          }
        }
      }
    }
  }

  /// The strings of `ids`: each feature's tokens joined by one space (scikit-learn's n-gram name).
  func names(ofFeatures ids: [Int32]) -> [String] {
    tokens.bytes.withUnsafeBufferPointer { bytes in
      tokens.starts.withUnsafeBufferPointer { tokenStarts in
        features.keys.withUnsafeBufferPointer { keys in
          features.starts.withUnsafeBufferPointer { keyStarts in
            // Built in feature-id order (the arenas' order, sequential memory), then placed.
            var names = [String](repeating: "", count: ids.count)
            var position = [Int32](repeating: -1, count: features.count)
            for (k, f) in ids.enumerated() { position[Int(f)] = Int32(k) }
            for f in 0..<features.count where position[f] >= 0 {
              let first = keyStarts[f]
              let last = keyStarts[f + 1]
              var length = last - first - 1
              for k in first..<last {
                let t = Int(keys[k])
                length += tokenStarts[t + 1] - tokenStarts[t]
              }
              // Written straight into the string's storage: no intermediate buffer.
              names[Int(position[f])] = String(unsafeUninitializedCapacity: length) { out in
                var n = 0
                for k in first..<last {
                  if k > first {
                    out[n] = 32
                    n += 1
                  }
                  let t = Int(keys[k])
                  for b in tokenStarts[t]..<tokenStarts[t + 1] {
                    out[n] = bytes[b]
                    n += 1
                  }
                }
                return n
              }
            }
            return names
          }
        }
      }
    }
  }

  /// Feature ids sorted as scikit-learn sorts feature names (Python string order = code-point
  /// order = UTF-8 byte order). Tokens never contain a space and every word byte is above 0x20, so
  /// comparing names equals comparing token-rank sequences, a proper prefix first.
  func alphabeticalFeatureOrder() -> [Int32] {
    let tokenCount = tokens.count
    var tokenOrder = (0..<tokenCount).map { Int32($0) }
    tokens.bytes.withUnsafeBufferPointer { bytes in
      tokens.starts.withUnsafeBufferPointer { starts in
        tokenOrder.sort { a, b in
          let sa = starts[Int(a)]
          let la = starts[Int(a) + 1] - sa
          let sb = starts[Int(b)]
          let lb = starts[Int(b) + 1] - sb
          for k in 0..<min(la, lb) where bytes[sa + k] != bytes[sb + k] {
            return bytes[sa + k] < bytes[sb + k]
          }
          return la < lb
        }
      }
    }
    var rank = [UInt32](repeating: 0, count: tokenCount)
    for (r, t) in tokenOrder.enumerated() { rank[Int(t)] = UInt32(r) }

    // Sort key: the ranks of the first two tokens (+1, 0 when absent); longer n-grams compare
    // their remaining ranks only when those tie.
    let featureCount = features.count
    var keyed = [(key: UInt64, id: Int32)]()
    keyed.reserveCapacity(featureCount)
    var longest = 0
    for f in 0..<featureCount {
      let key = features.key(f)
      longest = max(longest, key.count)
      let first = UInt64(rank[Int(key[key.startIndex])]) + 1
      let second = key.count > 1 ? UInt64(rank[Int(key[key.startIndex + 1])]) + 1 : 0
      keyed.append(((first << 32) | second, Int32(f)))
    }
    if longest <= 2 && UInt64(tokenCount + 1) * UInt64(tokenCount + 1) < (1 << 32) {
      // Small vocabularies (the usual case): pack (rank key, id) into one UInt64 and sort plain
      // integers — no comparison closure.
      let base = UInt64(tokenCount + 1)
      var packed = keyed.map { entry -> UInt64 in
        let key = (entry.key >> 32) * base + (entry.key & 0xFFFF_FFFF)
        return key << 32 | UInt64(UInt32(entry.id))
      }
      packed.sort()
      return packed.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
    } else if longest <= 2 {
      keyed.sort { $0.key < $1.key }
    } else {
      keyed.sort { a, b in
        if a.key != b.key { return a.key < b.key }
        let ka = features.key(Int(a.id)).dropFirst(2)
        let kb = features.key(Int(b.id)).dropFirst(2)
        for (x, y) in zip(ka, kb) where x != y { return rank[Int(x)] < rank[Int(y)] }
        return ka.count < kb.count
      }
    }
    return keyed.map { $0.id }
  }
}

/// Counts per row in CSR form; the columns of a row are in first-seen order until `sorted()`.
struct CountRows {
  var rowPointers: [Int] = [0]
  var columns: [Int32] = []
  var counts: [Int32] = []
  /// The last row each column was seen in, and where its entry sits (O(1) counting, no hashing).
  private var lastRow: [Int32] = []
  private var slot: [Int32] = []

  mutating func appendRow(_ ids: [Int32], columnCount: Int) {
    if lastRow.count < columnCount {
      lastRow.append(contentsOf: repeatElement(-1, count: columnCount - lastRow.count))
      slot.append(contentsOf: repeatElement(0, count: columnCount - slot.count))
    }
    let row = Int32(rowPointers.count - 1)
    for c in ids {
      let ci = Int(c)
      if lastRow[ci] != row {
        lastRow[ci] = row
        slot[ci] = Int32(columns.count)
        columns.append(c)
        counts.append(1)
      } else {
        counts[Int(slot[ci])] += 1
      }
    }
    rowPointers.append(columns.count)
  }

  /// A CSR matrix whose row entries are mapped through `map` (dropping -1) and column-sorted.
  func matrix(columns columnCount: Int, map: [Int32]?, binary: Bool) -> SparseMatrix {
    var outPointers = [Int](repeating: 0, count: rowPointers.count)
    var outColumns = [Int32]()
    var outValues = [Double]()
    outColumns.reserveCapacity(columns.count)
    outValues.reserveCapacity(columns.count)
    var rowColumns: [Int32] = []
    var rowCounts: [Int32] = []
    for r in 0..<(rowPointers.count - 1) {
      rowColumns.removeAll(keepingCapacity: true)
      rowCounts.removeAll(keepingCapacity: true)
      for k in rowPointers[r]..<rowPointers[r + 1] {
        let c = map.map { $0[Int(columns[k])] } ?? columns[k]
        if c >= 0 {
          // Insertion sort: rows are short (tens of entries).
          var i = rowColumns.count
          rowColumns.append(c)
          rowCounts.append(counts[k])
          while i > 0 && rowColumns[i - 1] > c {
            rowColumns[i] = rowColumns[i - 1]
            rowCounts[i] = rowCounts[i - 1]
            i -= 1
          }
          rowColumns[i] = c
          rowCounts[i] = counts[k]
        }
      }
      outColumns.append(contentsOf: rowColumns)
      for v in rowCounts { outValues.append(binary ? 1 : Double(v)) }
      outPointers[r + 1] = outColumns.count
    }
    return SparseMatrix(
      rows: rowPointers.count - 1, columns: columnCount, rowPointers: outPointers,
      columnIndices: outColumns, values: outValues)
  }
}
