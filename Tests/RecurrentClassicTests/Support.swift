import Foundation
import RecurrentClassic
import RecurrentText
import XCTest

/// Loads a committed fixture (written by Tools/make_classic_fixtures.py).
func loadFixture(_ name: String) throws -> [String: Any] {
  guard
    let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures")
  else { throw XCTSkip("fixture \(name).json missing: run Tools/make_classic_fixtures.py") }
  let data = try Data(contentsOf: url)
  return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

extension Dictionary where Key == String, Value == Any {
  func object(_ key: String) -> [String: Any] { self[key] as! [String: Any] }
  func doubles(_ key: String) -> [Double] { (self[key] as! [NSNumber]).map(\.doubleValue) }
  func ints(_ key: String) -> [Int] { (self[key] as! [NSNumber]).map(\.intValue) }
  func strings(_ key: String) -> [String] { self[key] as! [String] }
  func double(_ key: String) -> Double { (self[key] as! NSNumber).doubleValue }
  func int(_ key: String) -> Int { (self[key] as! NSNumber).intValue }

  /// A CSR matrix stored as scipy's arrays.
  func sparse(_ key: String) -> SparseMatrix {
    let m = object(key)
    return SparseMatrix(
      rows: (m["rows"] as! NSNumber).intValue, columns: (m["columns"] as! NSNumber).intValue,
      rowPointers: m.ints("rowPointers"), columnIndices: m.ints("columnIndices").map(Int32.init),
      values: m.doubles("values"))
  }
}

func assertClose(
  _ a: [Double], _ b: [Double], tolerance: Double, _ message: String = "",
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(a.count, b.count, "count \(message)", file: file, line: line)
  var worst = 0.0
  for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) }
  XCTAssertLessThanOrEqual(worst, tolerance, "max |Δ| \(message)", file: file, line: line)
}

/// The shared data folder beside the worktree, or a skip naming why.
func sharedData(_ folder: String) throws -> URL {
  let here = URL(fileURLWithPath: #filePath)
  let root = here.deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let url = root.deletingLastPathComponent().appendingPathComponent("shared/data/\(folder)")
  guard FileManager.default.fileExists(atPath: url.path) else {
    throw XCTSkip("\(url.path) is absent: the rt-polarity agreement test needs the shared data")
  }
  return url
}

/// `label<TAB>text` rows after a header.
func readLabeledTSV(_ url: URL) throws -> (texts: [String], labels: [Int]) {
  let text = try String(contentsOf: url, encoding: .utf8)
  var texts: [String] = []
  var labels: [Int] = []
  for line in text.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
    let tab = line.firstIndex(of: "\t")!
    labels.append(Int(line[..<tab])!)
    texts.append(String(line[line.index(after: tab)...]))
  }
  return (texts, labels)
}

/// A small stand-in for scikit-learn's `CountVectorizer(tokenizer=str.split, lowercase=False,
/// ngram_range=(1, 2))` / `TfidfVectorizer` on pre-tokenized text, so the test builds the same
/// columns as the reference: vocabulary sorted by code point (UTF-8 byte order) as Python sorts.
struct TestFeaturizer {
  let vocabulary: [String: Int]
  let idf: [Double]

  /// Python's `str.split()` on ASCII whitespace, then the tokens and adjacent token pairs.
  static func grams(_ text: String) -> [String] {
    let tokens = text.utf8.split(whereSeparator: { $0 == 32 || (9...13).contains($0) }).map {
      String(decoding: $0, as: UTF8.self)
    }
    var out = tokens
    if tokens.count > 1 {
      for i in 0..<(tokens.count - 1) { out.append(tokens[i] + " " + tokens[i + 1]) }
    }
    return out
  }

  init(fitting texts: [String]) {
    var documentFrequency: [String: Int] = [:]
    for text in texts {
      for gram in Set(Self.grams(text)) { documentFrequency[gram, default: 0] += 1 }
    }
    let sorted = documentFrequency.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    var vocabulary: [String: Int] = [:]
    for (i, gram) in sorted.enumerated() { vocabulary[gram] = i }
    self.vocabulary = vocabulary
    let n = Double(texts.count)
    idf = sorted.map { log((1 + n) / (1 + Double(documentFrequency[$0]!))) + 1 }
  }

  var names: [String] {
    var out = [String](repeating: "", count: vocabulary.count)
    for (gram, i) in vocabulary { out[i] = gram }
    return out
  }

  enum Weighting { case binary, tfidf }

  func transform(_ texts: [String], _ weighting: Weighting) -> SparseMatrix {
    var pointers = [0]
    var columns: [Int32] = []
    var values: [Double] = []
    for text in texts {
      var counts: [Int: Double] = [:]
      for gram in Self.grams(text) {
        if let j = vocabulary[gram] { counts[j, default: 0] += 1 }
      }
      let row = counts.keys.sorted()
      var rowValues = row.map { j -> Double in
        weighting == .binary ? 1 : counts[j]! * idf[j]
      }
      if weighting == .tfidf {
        let norm = rowValues.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { rowValues = rowValues.map { $0 / norm } }
      }
      columns += row.map { Int32($0) }
      values += rowValues
      pointers.append(values.count)
    }
    return SparseMatrix(
      rows: texts.count, columns: vocabulary.count, rowPointers: pointers, columnIndices: columns,
      values: values)
  }
}

func agreement<T: Equatable>(_ a: [T], _ b: [T]) -> Double {
  Double(zip(a, b).filter { $0 == $1 }.count) / Double(max(a.count, 1))
}
